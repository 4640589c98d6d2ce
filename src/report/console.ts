import type { DrillModel } from './model-types.js';
import { objectiveLabel, objectiveResult } from './report-words.js';
import { VERDICT_LABEL, VERDICT_MEANING } from '../sentences/verdict-words.js';
import { formatMeasured, formatOffset, formatTarget } from '../words/time-format.js';

type Tone = 'good' | 'bad' | 'warn' | 'plain';

const ANSI: Record<Exclude<Tone, 'plain'>, [string, string]> = {
  good: ['\u001b[32m', '\u001b[39m'],
  bad: ['\u001b[31m', '\u001b[39m'],
  warn: ['\u001b[33m', '\u001b[39m'],
};

const VERDICT_TONE: Record<DrillModel['verdict'], Tone> = {
  passed: 'good',
  failed: 'bad',
  aborted: 'warn',
  'rollback-incomplete': 'bad',
  incomplete: 'warn',
};

/**
 * A few lines for the terminal at the end of a run: the verdict, then each objective measured
 * against its target. ANSI colour only when `color` is true. Lines are joined by "\n" with no
 * newline at the end; the caller adds where the reports are.
 */
export function renderConsoleSummary(model: DrillModel, opts: { color: boolean }): string {
  const paint = (tone: Tone, text: string) => (opts.color && tone !== 'plain' ? `${ANSI[tone][0]}${text}${ANSI[tone][1]}` : text);
  const exit = model.exitCode === null ? '' : ` (exit ${model.exitCode})`;
  const reason = model.reason ?? VERDICT_MEANING[model.verdict];
  const lines = [`${paint(VERDICT_TONE[model.verdict], VERDICT_LABEL[model.verdict])}${exit} — ${reason}`];
  const labels = model.objectives.map(objectiveLabel);
  const width = Math.max(0, ...labels.map((label) => label.length));
  for (const [i, o] of model.objectives.entries()) {
    const result = objectiveResult(o);
    const mark = result.met === true ? paint('good', '✔') : result.met === false ? paint('bad', '✘') : paint('warn', '?');
    const measured = o.measuredMs === null ? '' : `measured ${formatMeasured(o.measuredMs)}, `;
    const outcome = result.met === false ? paint('bad', result.text) : result.text;
    lines.push(`  ${mark} ${(labels[i] ?? o.name).padEnd(width)}  ${measured}target ${formatTarget(o.targetMs)} — ${outcome}`);
  }
  for (const c of model.stopConditions) {
    const b = c.breach;
    if (!b) continue;
    const fault = b.fault ? `, ${formatMeasured(b.fault.sinceAppliedMs)} after fault ${b.fault.ref}` : '';
    lines.push(`  ${paint('warn', '!')} stop condition "${c.name}" breached at ${formatOffset(b.atMs)}${fault}: ${b.reason}`);
  }
  for (const f of model.faults) {
    if (f.revert && !f.revert.verified)
      lines.push(`  ${paint('bad', '!')} fault ${f.ref}: revert not verified — faults may remain; see the report's Rollback section`);
  }
  return lines.join('\n');
}
