import { verdictPaint } from '../sentences/verdict-words.js';
import type { Paint } from '../words/paint.js';
import { formatAtLeast, formatMeasured, formatTarget, when } from '../words/time-format.js';
import { objectiveShortLabel } from './objective-words.js';
import type { ObjectiveSummary, RunListing, RunSummary } from './run-index.js';

/**
 * `firedrill history` as a table: one line per run, oldest first — when it started (UTC), the
 * playbook, the verdict, how long it took, and each objective's measured recovery time against
 * its target. With colour, met and missed are marks (✔ ✘); without, they are words, so the
 * plain text reads the same in a CI log or a grep.
 */
export function renderHistoryTable(runs: readonly RunListing[], paint: Paint, color: boolean): string {
  const header = ['when (UTC)', 'playbook', 'verdict', 'duration', 'recovery times (measured / target)'];
  const rows = runs.map((run) => (run.readable ? readableRow(run, paint, color) : unreadableRow(run, paint)));
  const widths = header.slice(0, -1).map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.plain.length ?? 0)));
  const line = (cells: Cell[]) =>
    cells
      .map((cell, column) => (column < widths.length ? cell.text + ' '.repeat((widths[column] ?? 0) - cell.plain.length) : cell.text))
      .join('  ')
      .trimEnd();
  return [line(header.map((title) => ({ text: paint.dim(title), plain: title }))), ...rows.map(line)].join('\n');
}

/** A cell's text as printed, and without colour for measuring its width. */
interface Cell {
  text: string;
  plain: string;
}

function cell(plain: string, paintIt: (text: string) => string = (text) => text): Cell {
  return { text: paintIt(plain), plain };
}

function readableRow(run: RunSummary, paint: Paint, color: boolean): Cell[] {
  const duration = run.finished ? formatMeasured(run.durationMs) : `≥${formatAtLeast(run.durationMs)}`;
  const objectives = run.objectives.map((o) => objectiveText(o, paint, color));
  if (run.regression && run.regression.regressed > 0) objectives.push(paint.bad(`${run.regression.regressed} regressed`));
  return [
    cell(when(run.startedAt)),
    cell(run.playbook.name),
    cell(run.verdict, verdictPaint(run.verdict, paint)),
    cell(duration),
    { text: objectives.join('  ') || paint.dim('no objectives'), plain: '' },
  ];
}

function unreadableRow(run: Extract<RunListing, { readable: false }>, paint: Paint): Cell[] {
  return [
    cell(when(run.startedAt)),
    cell(run.playbookName ?? '?'),
    cell('unreadable', paint.warn),
    cell('—'),
    { text: `${run.runId}: ${run.reason}`, plain: '' },
  ];
}

/**
 * "overall recovery time 3.502s/45s ✔", "“Shop answers” —/30s not measured". A drill-wide
 * objective goes by its own name: a drill can have several (time to first contact, …).
 */
function objectiveText(o: ObjectiveSummary, paint: Paint, color: boolean): string {
  const label = objectiveShortLabel(o);
  const measured = o.measuredMs === null ? '—' : formatMeasured(o.measuredMs);
  return `${label} ${measured}/${formatTarget(o.targetMs)} ${mark(o, paint, color)}`;
}

function mark(o: ObjectiveSummary, paint: Paint, color: boolean): string {
  if (o.met === null) return color ? paint.warn('?') : 'not evaluated';
  if (o.measuredMs === null) return color ? paint.bad('✘') : 'not measured';
  if (o.met) return color ? paint.good('✔') : 'met';
  return color ? paint.bad('✘') : 'missed';
}
