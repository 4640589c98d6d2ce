import type { Paint } from '../cli/ui/paint.js';
import { count } from '../number-words.js';
import { formatBound, formatMeasured } from '../report/time-format.js';
import type { RegressionCheckFacts, RegressionObjectiveFacts } from '../run/events.js';
import { formatChangePct, formatLimitPct } from './change-format.js';
import type { RegressionGate } from './regression.js';

/** The regression gate in words, for the terminal, the CI log and the report. Plain text. */

/** What the gate made of one objective, beside its figures: "regressed: more than 20% slower, …". */
export function regressionOutcomeText(o: RegressionObjectiveFacts, maxRegressionPct: number): string {
  const limit = formatLimitPct(maxRegressionPct);
  const noise = `the ${formatBound(o.combinedResolutionMs ?? 0)} the two measurements allow`;
  switch (o.outcome) {
    case 'regressed': return `regressed: more than ${limit} slower, and beyond ${noise}`;
    case 'within-limit': return `slower beyond ${noise}, but within ${limit}`;
    case 'within-resolution': return `within ${noise}: no change to speak of`;
    case 'faster': return `faster, beyond ${noise}`;
    case 'not-in-baseline': return 'not compared: the baseline has no such objective';
    case 'baseline-not-measured': return 'not compared: the baseline did not measure it';
    case 'not-measured': return 'not compared: this run did not measure it';
  }
}

/** One line for the CI log and the terminal: the gate's result. */
export function regressionSummaryText(facts: RegressionCheckFacts): string {
  const limit = formatLimitPct(facts.maxRegressionPct);
  if (facts.baselineRunId === null) return `regression gate (${limit}): no baseline — ${facts.reason}; nothing compared, the gate passes`;
  const compared = facts.objectives.filter((o) => o.changeMs !== null).length;
  const against = `regression gate (${limit}) against run ${facts.baselineRunId}`;
  if (facts.regressed === 0) return `${against}: no objective regressed (${count(compared, 'objective')} compared)`;
  const which = facts.objectives
    .filter((o) => o.regressed)
    .map((o) => `"${o.name}" ${formatMeasured(o.baselineMs ?? 0)} → ${formatMeasured(o.measuredMs ?? 0)} (${formatChangePct(o.changePct ?? Infinity)})`)
    .join(', ');
  return `${against}: ${count(facts.regressed, 'objective')} regressed — ${which}`;
}

/** The CI log's line, painted. */
export function regressionLogText(facts: RegressionCheckFacts, paint: Paint): string {
  const text = regressionSummaryText(facts);
  return facts.regressed > 0 ? paint.bad(text) : text;
}

/** Said before the drill starts: which baseline the gate will compare with, or that there is none. */
export function baselineChoiceText(gate: RegressionGate): string {
  const limit = formatLimitPct(gate.maxRegressionPct);
  const b = gate.baseline;
  if (b.runId === null) return `regression gate (${limit}): ${b.reason}; this run's recovery times will be the first to compare with`;
  const when = b.startedAt ? ` of ${b.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}` : '';
  const passedOver = b.passedOver > 0 ? `; ${b.passedOver} newer ${b.passedOver === 1 ? 'run that did' : 'runs that did'} not run to the end passed over` : '';
  return `regression gate (${limit}): comparing with run ${b.runId}${when} (${b.verdict}), the last finished run of this playbook on this project${passedOver}`;
}
