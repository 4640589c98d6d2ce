import { table } from './markdown-text.js';
import { code, inline, quoted } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { DrillModel, StopConditionModel } from './model-types.js';
import { breachRuleText } from '../words/breach-rule-text.js';
import { formatMeasured, formatOffset, formatTarget } from '../words/time-format.js';

/**
 * The stop conditions watched during the drill: what each one guarded, whether it held, and
 * for the one that stopped the drill, when and why, against the drill's start and the fault.
 */
export function renderStopConditions(model: DrillModel): string {
  const rows = model.stopConditions.map((c) => [
    inline(c.name),
    inline(c.probe),
    `every ${formatTarget(c.everyMs)} from ${formatOffset(c.watchedFromAtMs)} (${c.from === 'start' ? 'the start of the steps' : 'the first fault'})`,
    inline(breachRuleText(c)),
    resultText(c),
  ]);
  const parts = [table(['Condition', 'Probe', 'Checked', 'Stops the drill when', 'Result'], rows)];
  for (const c of model.stopConditions) if (c.breach) parts.push(breachText(c));
  parts.push('Only changes between holding and failing are kept in the journal; the checks in between are counted.');
  return parts.join('\n\n');
}

function resultText(c: StopConditionModel): string {
  if (c.breach) return `✘ breached at ${formatOffset(c.breach.atMs)}`;
  if (c.samples === null || c.failed === null) return 'watched until the journal ends, not breached';
  const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
  return `✔ held (${count(c.samples, 'check')}${failed})`;
}

function breachText(c: StopConditionModel): string {
  const b = c.breach!;
  const fault = b.fault
    ? `, ${formatMeasured(b.fault.sinceAppliedMs)} after fault ${code(b.fault.ref)} was applied (at ${formatOffset(b.fault.appliedAtMs)})`
    : '';
  const since =
    b.rule === 'tolerate'
      ? `It had been failing since the check at ${formatOffset(b.firstFailureAtMs)}`
      : `The first of those failures was the check at ${formatOffset(b.firstFailureAtMs)}`;
  return (
    `**Stop condition ${quoted(c.name)} stopped the drill** at ${formatOffset(b.atMs)}${fault}: ${inline(b.reason)}. ` +
    `${since}; the last check saw ${quoted(b.summary)}. The drill was aborted and rolled back (see Rollback).`
  );
}
