import { codeBlock, table } from './markdown-text.js';
import { capitalised, code, inline, quoted } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { DrillModel, StepModel } from './model-types.js';
import { renderProbeChartSvg } from './probe-chart-svg.js';
import type { ReportSection } from './document-types.js';
import { stepNumber } from './report-words.js';
import { formatMeasured, formatOffset } from '../words/time-format.js';

/**
 * The engineering report's technical appendix: probe samples as charts, the containers as
 * found, every command the faults and steps ran or planned, and every event of the journal
 * with its facts as recorded (probe samples are in the charts, counted, not listed).
 */
export function renderAppendix(model: DrillModel): ReportSection[] {
  return [
    appendix(
      'probes',
      'Appendix: probe samples',
      probeSamples(model),
      model.steps.filter(hasSamples).map((s) => renderProbeChartSvg(s, model.durationMs)),
    ),
    appendix('containers', 'Appendix: containers', containers(model)),
    appendix('commands', 'Appendix: commands and actions', commands(model)),
    appendix('events', 'Appendix: every event', events(model)),
  ];
}

function appendix(id: string, title: string, markdown: string, figures: string[] = []): ReportSection {
  return { id: `appendix-${id}`, title, markdown, figures };
}

function hasSamples(step: StepModel): boolean {
  return (step.wait?.series.points.length ?? 0) > 0;
}

function probeSamples(model: DrillModel): string {
  const waits = model.steps.filter(hasSamples);
  if (waits.length === 0) return 'No probe samples were taken.';
  const rows = waits.map((step) => {
    const points = step.wait!.series.points;
    const failed = points.reduce((n, p) => n + p.failed, 0);
    const slowest = Math.max(...points.map((p) => p.latencyMs));
    return [`${capitalised(stepNumber(step))} ${quoted(step.name)}`, String(step.wait!.samples), String(failed), formatMeasured(slowest)];
  });
  const note =
    'In the HTML report each step has a chart of its samples over the drill: height is how long the answer took, red is a failed check.';
  return `${table(['Step', 'Samples', 'Failed', 'Slowest answer'], rows)}\n\n${note}`;
}

function containers(model: DrillModel): string {
  const topology = model.topology;
  if (!topology || topology.containers.length === 0) return 'The journal records no containers.';
  const rows = topology.containers.map((c) => {
    const region = topology.services.find((s) => s.name === c.service)?.region ?? '—';
    return [inline(c.service), inline(region), inline(c.name), code(c.id.slice(0, 12)), inline(c.status), inline(c.health || '—')];
  });
  const networks = topology.networks.length
    ? `\n\nNetworks: ${topology.networks.map((n) => `${inline(n.name)} (${code(n.id.slice(0, 12))})`).join(', ')}.`
    : '';
  return `As found before the drill:\n\n${table(['Service', 'Region', 'Container', 'Id', 'Status', 'Health'], rows)}${networks}`;
}

function commands(model: DrillModel): string {
  const parts: string[] = [];
  for (const fault of model.faults) {
    const lines = fault.plan.map(
      (p) => `- apply: ${inline(p.apply)}${p.revert ? `\n  - revert: ${inline(p.revert)}` : '\n  - revert: none (cannot be undone)'}`,
    );
    parts.push(
      `Fault ${code(fault.ref)} (${inline(fault.kind)}), from ${stepNumber(fault)}:\n\n${lines.join('\n') || '- nothing planned'}`,
    );
  }
  for (const step of [...model.steps, ...model.restore]) {
    if (!step.run) continue;
    const output = step.run.output ? `\n\n${codeBlock(step.run.output)}` : '';
    parts.push(
      `${capitalised(stepNumber(step))} ${quoted(step.name)} ran ${inline(step.describe)}: ${step.run.ok ? 'succeeded' : 'failed'} — ${inline(step.run.summary)}.${output}`,
    );
  }
  return parts.length > 0 ? parts.join('\n\n') : 'No fault was injected and no command was run.';
}

function events(model: DrillModel): string {
  if (model.timeline.length === 0) return 'The journal holds no events.';
  // As code: it is data, and a long code span may wrap anywhere, so the table fits the page.
  const rows = model.timeline.map((item) => [
    code(formatOffset(item.atMs)),
    code(item.type),
    code(JSON.stringify(item.data)).replaceAll('|', '\\|'),
  ]);
  const samples = model.steps.reduce((n, s) => n + (s.wait?.samples ?? 0), 0);
  const note = `${count(model.journal.entries, 'journal entry', 'journal entries')} in all; the ${count(samples, 'probe sample')} are in the charts above, not listed here.`;
  return `${note}\n\n${table(['Time', 'Event', 'Facts as recorded'], rows)}`;
}
