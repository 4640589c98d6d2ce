import { formatChange, formatChangePct } from '../words/change-format.js';
import { percent } from '../words/number-words.js';
import { regressionOutcomeText } from '../sentences/regression-words.js';
import type { RegressionObjectiveFacts } from '../journal/events.js';
import { table } from './markdown-text.js';
import { capitalised, code, inline, quoted } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { DrillModel } from './model-types.js';
import { formatMeasured } from '../words/time-format.js';

/**
 * The regression gate's section of report.md (`run --max-regression`): which run this one was
 * compared with, each objective's recovery time there and here, and which regressed. The body
 * only (the caller adds the heading); null when no gate ran, so reports of other runs are unchanged.
 */
export function renderRegression(model: DrillModel): string | null {
  const gate = model.regression;
  if (!gate) return null;
  const limit = percent(gate.maxRegressionPct);
  if (gate.baselineRunId === null) {
    const next =
      model.verdict === 'passed'
        ? 'this run, which passed, is the baseline of the next'
        : 'this run did not pass, so it will not be the baseline of the next';
    return `The regression gate (at most ${limit} slower) had nothing to compare with: ${inline(gate.reason)}. It passed without comparing anything; ${next}.`;
  }
  const intro =
    `This run's recovery times were compared with those of run ${code(gate.baselineRunId)}, the last run of this playbook on this project that passed. ` +
    "A polled recovery time is late by up to its resolution, never early, so only what is left of a slowdown once this run's resolution is taken off it counts: " +
    `an objective **regresses** when that is more than ${limit} of its time there.`;
  const rows = gate.objectives.map((o) => [
    label(o),
    o.baselineMs === null ? '—' : formatMeasured(o.baselineMs),
    o.measuredMs === null ? '—' : formatMeasured(o.measuredMs),
    changeCell(o),
    `${mark(o)}${inline(regressionOutcomeText(o, gate.maxRegressionPct))}`,
  ]);
  const verdict =
    gate.regressed > 0
      ? `**${capitalised(count(gate.regressed, 'objective'))} regressed**, so the drill failed (exit code 1), whether or not the targets were met.`
      : 'No objective regressed.';
  const parts = [intro];
  if (rows.length > 0) parts.push(table(['Objective', 'Baseline', 'This run', 'Change', 'Result'], rows));
  parts.push(verdict);
  return parts.join('\n\n');
}

function label(o: RegressionObjectiveFacts): string {
  return o.scope === 'drill' ? capitalised(inline(o.name)) : `Recovery time of ${quoted(o.name)}`;
}

function changeCell(o: RegressionObjectiveFacts): string {
  if (o.changeMs === null) return '—';
  return o.changePct === null ? formatChange(o.changeMs) : `${formatChange(o.changeMs)} (${formatChangePct(o.changePct)})`;
}

function mark(o: RegressionObjectiveFacts): string {
  if (o.regressed) return '✘ ';
  return o.changeMs === null ? '' : '✔ ';
}
