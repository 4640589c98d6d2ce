import type { DrillModel } from './model-types.js';
import { objectiveLabel, objectiveResult } from './report-words.js';
import { VERDICT_LABEL, VERDICT_MEANING, verdictPaint } from '../sentences/verdict-words.js';
import type { Paint } from '../words/paint.js';
import { formatMeasured, formatOffset, formatTarget } from '../words/time-format.js';

/**
 * A few lines for the terminal at the end of a run: the verdict, then each objective measured
 * against its target. Emphasis is the caller's paint (the terminal's colours, or none). Lines
 * are joined by "\n" with no newline at the end; the caller adds where the reports are.
 */
export function renderConsoleSummary(model: DrillModel, paint: Paint): string {
  const exit = model.exitCode === null ? '' : ` (exit ${model.exitCode})`;
  const reason = model.reason ?? VERDICT_MEANING[model.verdict];
  const lines = [`${verdictPaint(model.verdict, paint)(VERDICT_LABEL[model.verdict])}${exit} — ${reason}`];
  const labels = model.objectives.map(objectiveLabel);
  const width = Math.max(0, ...labels.map((label) => label.length));
  for (const [i, o] of model.objectives.entries()) {
    const result = objectiveResult(o);
    const mark = result.met === true ? paint.good('✔') : result.met === false ? paint.bad('✘') : paint.warn('?');
    const measured = o.measuredMs === null ? '' : `measured ${formatMeasured(o.measuredMs)}, `;
    const outcome = result.met === false ? paint.bad(result.text) : result.text;
    lines.push(`  ${mark} ${(labels[i] ?? o.name).padEnd(width)}  ${measured}target ${formatTarget(o.targetMs)} — ${outcome}`);
  }
  for (const c of model.stopConditions) {
    const b = c.breach;
    if (!b) continue;
    const fault = b.fault ? `, ${formatMeasured(b.fault.sinceAppliedMs)} after fault ${b.fault.ref}` : '';
    lines.push(`  ${paint.warn('!')} stop condition "${c.name}" breached at ${formatOffset(b.atMs)}${fault}: ${b.reason}`);
  }
  for (const f of model.faults) {
    if (f.revert && !f.revert.verified)
      lines.push(`  ${paint.bad('!')} fault ${f.ref}: revert not verified — faults may remain; see the report's Rollback section`);
  }
  return lines.join('\n');
}
