import { table } from './markdown-text.js';
import { code, inline } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { ReportDocument } from './document-types.js';
import type { DrillModel, FaultModel, StepModel, WaitModel } from './model-types.js';
import { referenceFault } from './report-words.js';
import { VERDICT_LABEL, VERDICT_MEANING } from '../sentences/verdict-words.js';
import { formatAtLeast, formatMeasured, formatOffset, formatResolutionInline, formatTarget, formatWallTime } from '../words/time-format.js';

/**
 * report.md: the drill's account in Markdown, section by section as the report document has
 * it (report-document.ts). Pure: the same document gives the same bytes.
 */
export function renderMarkdown(doc: ReportDocument): string {
  const sections = [doc.header, ...doc.sections.map((s) => `## ${s.title}\n\n${s.markdown}`)];
  return `${sections.join('\n\n')}\n`;
}

export function renderHeader(model: DrillModel): string {
  const title = model.playbook ? inline(model.playbook.title) : 'an unnamed drill (the journal has no start record)';
  const facts: string[][] = [];
  if (model.playbook)
    facts.push([
      'Playbook',
      `${code(model.playbook.name)} from ${code(model.playbook.file)} (sha256 ${code(model.playbook.sha256.slice(0, 12))})`,
    ]);
  if (model.planHash) facts.push(['Plan hash', code(model.planHash)]);
  if (model.project)
    facts.push(['Compose project', model.endpoint ? `${code(model.project)} on ${code(model.endpoint)}` : code(model.project)]);
  if (model.runId) facts.push(['Run', code(model.runId)]);
  if (model.startedAt) facts.push(['Started', formatWallTime(model.startedAt)]);
  facts.push([
    'Duration',
    model.finished ? formatMeasured(model.durationMs) : `at least ${formatAtLeast(model.durationMs)} (the journal ends early)`,
  ]);
  if (model.firedrillVersion) facts.push(['firedrill', model.firedrillVersion]);
  return [`# Drill report: ${title}`, verdictLine(model), table(['', ''], facts)].join('\n\n');
}

/** "**Verdict: Failed** (exit code 1): what that means — the runner's reason." Also the CI job summary's. */
export function verdictLine(model: DrillModel): string {
  const exit = model.exitCode === null ? 'no exit code' : `exit code ${model.exitCode}`;
  const reason = model.reason ? ` — ${inline(model.reason)}` : '';
  return `**Verdict: ${VERDICT_LABEL[model.verdict]}** (${exit}): ${VERDICT_MEANING[model.verdict]}${reason}.`;
}

export function renderSimulated(model: DrillModel): string {
  const parts: string[] = [];
  if (model.playbook) parts.push(inline(model.playbook.summary));
  const why = model.playbook?.description?.trim();
  if (why) parts.push(...why.split(/\n\s*\n/).map((paragraph) => inline(paragraph)));
  const topology = describeTopology(model);
  if (topology) parts.push(topology);
  if (model.faults.length === 0) {
    parts.push('No fault was injected.');
  } else {
    parts.push(['The drill injected:', '', ...model.faults.map((f) => `- ${describeFault(f)}`)].join('\n'));
  }
  return parts.join('\n\n');
}

function describeTopology(model: DrillModel): string | undefined {
  const topology = model.topology;
  if (!topology || !model.project) return undefined;
  const containers = topology.services.reduce((sum, s) => sum + s.containers.length, 0);
  const regions = Object.keys(topology.regions).sort();
  const where = regions.length ? ` in ${count(regions.length, 'region')} (${regions.map(inline).join(', ')})` : '';
  return `The compose project ${code(model.project)} had ${count(topology.services.length, 'service')} and ${count(containers, 'container')}${where}.`;
}

function describeFault(f: FaultModel): string {
  const what = f.describe ? inline(f.describe) : inline(f.kind);
  const targets = f.targets.map((t) => `${inline(t.name)} (${inline(t.service)})`).join(', ');
  const head = `**${what}** — fault ${code(f.ref)} (${inline(f.kind)})${targets ? ` on ${targets}` : ''}`;
  switch (f.state) {
    case 'applied': {
      const until = f.expiry
        ? ` until its maximum duration of ${formatTarget(f.expiry.maxDurationMs)} was up at ${formatOffset(f.expiry.atMs)}`
        : '';
      return `${head}; in effect from ${formatOffset(f.appliedAtMs ?? 0)}${until}.`;
    }
    case 'inject-failed':
      return `${head}; it could not be applied: ${inline(f.injectError ?? 'no reason recorded')}.`;
    case 'injecting':
      return `${head}; it was being applied at ${formatOffset(f.injectingAtMs)} when the journal ends.`;
  }
}

export function renderCustomerImpact(model: DrillModel): string {
  const waits = model.steps.filter((s) => s.action === 'wait');
  if (waits.length === 0) return "This drill watched nothing from the customers' side: it has no wait steps, so no recovery was measured.";
  const lines = waits.map((step) => `- **${inline(step.name)}**: ${customerView(model, step)}`);
  return ["From each fault until the service recovered, as the drill's checks saw it:", '', ...lines].join('\n');
}

function customerView(model: DrillModel, step: StepModel): string {
  const wait = step.wait;
  if (step.startedAtMs === null || !wait) return 'not checked: the drill stopped before this step.';
  const fault = referenceFault(model, step);
  const appliedAtMs = fault?.appliedAtMs ?? null;
  const fromFault = fault && appliedAtMs !== null ? `the fault (${code(fault.ref)}, at ${formatOffset(appliedAtMs)})` : null;
  if (wait.met !== true) return notRecovered(wait, appliedAtMs);
  if (fromFault && wait.referenceExpired) return heldOnlyAfterExpiry(wait, fromFault, wait.referenceExpired.maxDurationMs);
  if (!fromFault || wait.recoveryMs === null) {
    const heldFrom = wait.heldFromAtMs !== null ? ` from ${formatOffset(wait.heldFromAtMs)}` : '';
    return `held${heldFrom}; no fault had been applied before it, so no recovery time was measured.`;
  }
  const degraded = formatMeasured(wait.recoveryMs);
  const resolution = wait.resolutionMs === null ? '' : ` (${formatResolutionInline(wait.resolutionMs, wait.everyMs)})`;
  if (wait.lastFailure === null) {
    return `degraded for at most **${degraded}**${resolution}: its first check, ${degraded} after ${fromFault}, already held; nothing was checked before then.`;
  }
  const heldAt = wait.heldFromAtMs !== null ? ` at ${formatOffset(wait.heldFromAtMs)}` : '';
  return `degraded for **${degraded}**${resolution}: failing from ${fromFault} until it held again${heldAt}.`;
}

/** The condition held only once firedrill had reverted the fault at its maxDuration: that is no recovery. */
function heldOnlyAfterExpiry(wait: WaitModel, fromFault: string, maxDurationMs: number): string {
  const heldFrom = wait.heldFromAtMs !== null ? ` from ${formatOffset(wait.heldFromAtMs)}` : '';
  return (
    `held${heldFrom}, but only after firedrill had reverted ${fromFault} when its maximum duration of ` +
    `${formatTarget(maxDurationMs)} was up: it was not seen to recover by itself, so no recovery time was measured.`
  );
}

/** A wait that did not see recovery: degraded at least until its last failing check. */
function notRecovered(wait: WaitModel, appliedAtMs: number | null): string {
  const ended = wait.met === null ? 'when the journal ends' : 'when the drill stopped waiting';
  const failure = wait.lastFailure;
  if (!failure) return `not seen to recover ${ended} (${count(wait.samples, 'check')}).`;
  const lastCheck = `its last check at ${formatOffset(failure.atMs)} (${inline(failure.summary)})`;
  if (appliedAtMs === null) return `still failing at ${lastCheck}, ${ended}.`;
  return `degraded for at least **${formatAtLeast(failure.atMs - appliedAtMs)}**: still failing at ${lastCheck}, ${ended}.`;
}
