import { count, percent } from '../words/number-words.js';
import { formatBound, formatMeasured, when } from '../words/time-format.js';
import type { RegressionCheckFacts, RegressionObjectiveFacts } from '../journal/events.js';
import { formatChange, formatChangePct } from '../words/change-format.js';
import type { RegressionGate } from '../run/regression.js';
import type { Style } from './style.js';

/** The regression gate in words, for the terminal, the CI log and the report. */

/** What the gate made of one objective, beside its figures: "regressed: +0.150s (+15%) slower even if …". */
export function regressionOutcomeText(o: RegressionObjectiveFacts, maxRegressionPct: number): string {
  const limit = percent(maxRegressionPct);
  switch (o.outcome) {
    case 'regressed':
      return `regressed: ${slowerAtLeast(o)}, more than ${limit}`;
    case 'within-limit':
      return `${slowerAtLeast(o)}, but within ${limit}`;
    case 'within-resolution':
      return 'within resolution: the polling alone could account for the change, so no change to speak of';
    case 'faster':
      return 'faster, beyond what the polling could account for';
    case 'not-in-baseline':
      return 'not compared: the baseline has no such objective';
    case 'baseline-not-measured':
      return 'not compared: the baseline did not measure it';
    case 'not-measured':
      return 'not compared: this run did not measure it';
  }
}

/**
 * The least the slowdown can be, which is what the gate held against the limit: the change less
 * this run's resolution. Rounded against flattery like every change in history. Journals from
 * before the lower bound was recorded get the words without the figures.
 */
function slowerAtLeast(o: RegressionObjectiveFacts): string {
  const lower = o.lowerBoundChangeMs;
  if (lower === undefined || lower === null || o.changeMs === null) return 'slower beyond what the polling could account for';
  const late = `even if this run's measurement was late by its full ${formatBound(o.changeMs - lower).slice(1)} resolution`;
  if (o.baselineMs === null || o.baselineMs <= 0) return `${formatChange(lower)} slower than a baseline of 0ms ${late}`;
  return `${formatChange(lower)} (${formatChangePct((lower / o.baselineMs) * 100)}) slower ${late}`;
}

/**
 * The gate's result, one clause: "regression check against run `r`: no objective regressed beyond
 * 20%"; the terminal adds how many were compared, or which regressed and by how much.
 */
export function regressionCheckedSentence(facts: RegressionCheckFacts, s: Style): string {
  if (facts.baselineRunId === null) {
    const nothing = `regression check: nothing to compare with (${s.escape(facts.reason)})`;
    return s.particulars ? `${nothing}; the gate passes` : nothing;
  }
  const regressed = facts.regressed > 0;
  const found = regressed ? s.paint.strong(s.paint.bad(`${count(facts.regressed, 'objective')} regressed`)) : 'no objective regressed';
  const clause = `regression check against run ${s.code(facts.baselineRunId)}: ${found} beyond ${facts.maxRegressionPct}%`;
  if (!s.particulars) return clause;
  if (!regressed) return `${clause} (${count(facts.objectives.filter((o) => o.changeMs !== null).length, 'objective')} compared)`;
  const which = facts.objectives
    .filter((o) => o.regressed)
    .map((o) => `${s.quote(o.name)} ${formatMeasured(o.baselineMs ?? 0)} → ${formatMeasured(o.measuredMs ?? 0)} (${regressedBy(o)})`)
    .join(', ');
  return `${clause} — ${which}`;
}

/** "+40%, at least +15%"; from a baseline of 0ms no percentage means anything: "+1.400s from 0ms". */
function regressedBy(o: RegressionObjectiveFacts): string {
  if (o.changePct === null || o.baselineMs === null || o.baselineMs <= 0) return `${formatChange(o.changeMs ?? 0)} from 0ms`;
  const lower = o.lowerBoundChangeMs;
  const atLeast =
    lower === undefined || lower === null || lower === o.changeMs ? '' : `, at least ${formatChangePct((lower / o.baselineMs) * 100)}`;
  return `${formatChangePct(o.changePct)}${atLeast}`;
}

/** Said before the drill starts: which baseline the gate will compare with, or that there is none. */
export function baselineChoiceText(gate: RegressionGate): string {
  const limit = percent(gate.maxRegressionPct);
  const b = gate.baseline;
  if (b.runId === null) return `regression gate (${limit}): ${b.reason}; if this run passes, the next compares with it`;
  const started = b.startedAt ? ` of ${when(b.startedAt)} UTC` : '';
  const passedOver = b.passedOver > 0 ? `; the ${count(b.passedOver, 'newer run')} did not pass` : '';
  return `regression gate (${limit}): comparing with run ${b.runId}${started}, the last run of this playbook on this project that passed${passedOver}`;
}
