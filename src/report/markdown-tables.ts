import { codeBlock, firstLines, table } from './markdown-text.js';
import { capitalised, quoted, inline } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { DrillModel, StepModel, StepModelStatus } from './model-types.js';
import { objectiveEveryMs, objectiveLabel, objectiveResult, stepNumber } from './report-words.js';
import { formatMeasured, formatResolution, formatTarget } from '../words/time-format.js';

/** Output kept in report.md per step; report.json keeps all of it. */
const OUTPUT_LINES = 40;

const STATUS: Record<StepModelStatus, string> = {
  passed: '✔ passed',
  failed: '✘ failed',
  skipped: 'skipped',
  'not-run': 'not run',
  interrupted: 'interrupted (the journal ends during this step)',
};

export function renderObjectives(model: DrillModel): string {
  if (model.objectives.length === 0) return 'This playbook sets no objectives.';
  const rows = model.objectives.map((o) => {
    const result = objectiveResult(o);
    const mark = result.met === true ? '✔ ' : result.met === false ? '✘ ' : '';
    return [
      capitalised(inline(objectiveLabel(o))),
      formatTarget(o.targetMs),
      o.measuredMs === null ? '—' : formatMeasured(o.measuredMs),
      o.measuredMs === null ? '—' : formatResolution(o.resolutionMs, objectiveEveryMs(model, o)),
      `${mark}${inline(result.text)}`,
    ];
  });
  const note =
    'Recovery times run from the fault being applied to the first check of the streak that held; measured times are rounded up to the millisecond.';
  return `${table(['Objective', 'Target', 'Measured', 'Resolution', 'Result'], rows)}\n\n${note}`;
}

export function renderSteps(model: DrillModel): string {
  const parts = [stepTable(model.steps)];
  if (model.restore.length > 0) parts.push(`Restore steps, run after the faults were reverted:\n\n${stepTable(model.restore)}`);
  const details = [...model.steps, ...model.restore].flatMap(stepDetails);
  if (details.length > 0) parts.push(details.join('\n\n'));
  return parts.join('\n\n');
}

function stepTable(steps: StepModel[]): string {
  if (steps.length === 0) return 'No steps were recorded.';
  const rows = steps.map((s) => [
    String(s.index + 1),
    inline(s.name),
    s.describe ? inline(s.describe) : inline(s.action),
    STATUS[s.status],
    s.durationMs === null || s.status === 'not-run' ? '—' : formatMeasured(s.durationMs),
  ]);
  return table(['#', 'Step', 'What it does', 'Result', 'Duration'], rows);
}

function stepDetails(step: StepModel): string[] {
  const label = `${capitalised(stepNumber(step))} ${quoted(step.name)}`;
  const details: string[] = [];
  if (step.error) details.push(`${label} failed: ${inline(step.error)}.`);
  if (step.wait && step.wait.samples > 0 && step.wait.lastFailure && step.wait.met === false) {
    details.push(`${label} last saw: ${inline(step.wait.lastFailure.summary)} (${count(step.wait.samples, 'sample')} in all).`);
  }
  if (step.run) {
    const heading = `${label} ${step.run.ok ? 'succeeded' : 'failed'}: ${inline(step.run.summary)}.`;
    if (!step.run.output) {
      details.push(heading);
    } else {
      const shown = firstLines(step.run.output, OUTPUT_LINES);
      const omitted = shown.omitted ? `\n\n(${count(shown.omitted, 'more line')} in report.json)` : '';
      details.push(`${heading} Output:\n\n${codeBlock(shown.text)}${omitted}`);
    }
  }
  return details;
}
