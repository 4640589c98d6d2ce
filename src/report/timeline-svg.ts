import { escapeHtml, svgNumber } from './html-text.js';
import type { DrillModel, FaultModel, StepModel } from './model-types.js';
import { referenceFault } from './report-words.js';
import type { StageModel } from './status-stages.js';
import { timeScale, timeTicks, type TimeScale } from './svg-axis.js';
import { textWidth, wrapText } from './text-width.js';
import { formatMeasured, formatOffset } from '../words/time-format.js';

/**
 * The drill on one time axis, as an inline SVG: when each fault was in effect, when each
 * check first saw the trouble (detection), how long it stayed degraded and when it held
 * again (recovery) against its objective, and the status-page stages underneath. Static
 * markup only (no script, no fonts, no links), so it renders anywhere and prints as drawn.
 *
 * Text is laid out from estimated widths (text-width.ts) so that none of it is cut by the
 * edge of the picture and no two labels overlap: a long row label wraps onto a second line
 * and ends in "…" past that, with the whole name as its tooltip (and in the tables below);
 * status-page stages close together take lanes of their own under their marks.
 */

const WIDTH = 760;
const RIGHT = WIDTH - 16;
/** Font sizes as the report's style sets them: row labels, and everything else in a chart. */
const LABEL_PX = 12;
const SMALL_PX = 11;
/** The label column grows with its labels between these widths; the axis takes the rest. */
const LABEL_COLUMN_MIN = 120;
const LABEL_COLUMN_MAX = 250;
const LABEL_GAP = 8;
const LABEL_LINES = 2;
const LINE = 14;
/** A row's track (bars and marks) is this high; a row with a two-line label is taller. */
const TRACK = 26;
const TOP = 10;
/** Status-page labels: the first lane's baseline under the marks, the step between lanes, and the room kept between two labels. */
const LANE_BASELINE = 31;
const LANE_STEP = 13;
const LABEL_ROOM = 6;

interface Row {
  label: string;
  /** The row's marks and bars, drawn for a track at y 0 … TRACK. */
  body: string;
  /** Height below the track the body needs (stage labels). */
  extra: number;
}

export function renderTimelineSvg(model: DrillModel, stages: readonly StageModel[]): string {
  const spanMs = Math.max(model.durationMs, ...model.faults.map((f) => f.revert?.atMs ?? 0));
  const rowLabels = [
    ...model.faults.filter((f) => f.appliedAtMs !== null).map((f) => `fault ${f.ref}`),
    ...model.steps.filter(isWaitRow).map((s) => s.name),
    ...(stages.length > 0 ? ['status page'] : []),
  ];
  const labelColumn = labelColumnWidth(rowLabels);
  const scale = timeScale(spanMs, labelColumn, RIGHT);
  const rows: Row[] = [
    ...model.faults.filter((f) => f.appliedAtMs !== null).map((f) => faultRow(model, f, scale)),
    ...model.steps.filter(isWaitRow).map((s) => waitRow(model, s, scale)),
  ];
  if (stages.length > 0) rows.push(stageRow(stages, scale));

  let y = TOP;
  const body = rows.map((row) => {
    const label = wrapText(row.label, labelColumn - LABEL_GAP - 4, LABEL_PX, LABEL_LINES);
    const height = Math.max(TRACK, label.lines.length * LINE + 10);
    const trackY = y + (height - TRACK) / 2;
    const g = [
      `<g transform="translate(0 ${svgNumber(trackY)})">`,
      rowLabel(row.label, label, labelColumn - LABEL_GAP),
      row.body,
      '</g>',
    ].join('');
    y += height + row.extra;
    return g;
  });
  const axisY = y + 4;
  const height = axisY + 40;
  const summary = `Timeline of the drill over ${formatMeasured(model.durationMs)}: ${rows.map((r) => r.label).join('; ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${svgNumber(height)}" width="${WIDTH}" height="${svgNumber(height)}" role="img" aria-label="${escapeHtml(summary)}">`,
    `<title>${escapeHtml(summary)}</title>`,
    timeTicks(scale, axisY, axisY - TOP),
    `<line class="axis" x1="${labelColumn}" y1="${svgNumber(axisY)}" x2="${RIGHT}" y2="${svgNumber(axisY)}"/>`,
    ...body,
    legend(height - 10, labelColumn),
    '</svg>',
  ].join('\n');
}

function isWaitRow(step: StepModel): boolean {
  return step.action === 'wait' && step.startedAtMs !== null;
}

/** Wide enough for the longest label on one line, within the column's limits. */
function labelColumnWidth(labels: readonly string[]): number {
  const widest = Math.max(0, ...labels.map((label) => textWidth(label, LABEL_PX)));
  return Math.round(Math.min(LABEL_COLUMN_MAX, Math.max(LABEL_COLUMN_MIN, widest + LABEL_GAP + 4)));
}

/** The label, right-aligned to the axis, centred on the track; its whole text as a tooltip when cut. */
function rowLabel(full: string, wrapped: { lines: string[]; cut: boolean }, right: number): string {
  const first = TRACK / 2 + 4 - ((wrapped.lines.length - 1) * LINE) / 2;
  const lines = wrapped.lines.map((line, i) => `<tspan x="${right}" y="${svgNumber(first + i * LINE)}">${escapeHtml(line)}</tspan>`);
  const tip = wrapped.cut ? `<title>${escapeHtml(full)}</title>` : '';
  return `<text class="label" text-anchor="end">${tip}${lines.join('')}</text>`;
}

function faultRow(model: DrillModel, f: FaultModel, scale: TimeScale): Row {
  const from = f.appliedAtMs ?? 0;
  const until = f.revert?.atMs ?? f.expiry?.atMs ?? model.durationMs;
  const open = f.revert === null ? ' open' : '';
  const tip = `fault ${f.ref} in effect from ${formatOffset(from)} ${f.revert ? `until reverted at ${formatOffset(until)}` : 'until the journal ends'}`;
  return { label: `fault ${f.ref}`, body: bar(`fault${open}`, scale, from, until, tip), extra: 0 };
}

function waitRow(model: DrillModel, step: StepModel, scale: TimeScale): Row {
  const wait = step.wait!;
  const fault = referenceFault(model, step);
  const parts: string[] = [];
  const from = fault?.appliedAtMs ?? null;
  if (from !== null) {
    const held = wait.met === true ? wait.heldFromAtMs : null;
    const until = held ?? wait.lastSample?.atMs ?? step.finishedAtMs ?? model.durationMs;
    const tip =
      held !== null
        ? `degraded from the fault until it held again at ${formatOffset(held)}`
        : `not seen to recover by ${formatOffset(until)}`;
    parts.push(bar(held !== null ? 'degraded' : 'degraded open', scale, from, until, tip));
    if (step.rtoMs !== null) parts.push(objectiveMark(scale, from + step.rtoMs, step.rtoMs));
  }
  if (wait.firstFailure && (from === null || wait.firstFailure.atMs >= from)) {
    const known = wait.firstFailure.answeredAtMs;
    parts.push(
      marker(
        'detected',
        scale.x(known),
        `first failing check began at ${formatOffset(wait.firstFailure.atMs)}, failed at ${formatOffset(known)}`,
      ),
    );
  }
  if (wait.met === true && wait.heldFromAtMs !== null) {
    parts.push(marker('recovered', scale.x(wait.heldFromAtMs), `held again from ${formatOffset(wait.heldFromAtMs)}`));
  }
  return { label: step.name, body: parts.join(''), extra: 0 };
}

/** The objective's deadline as a dashed line; past the end of the axis, as a note at the edge. */
function objectiveMark(scale: TimeScale, atMs: number, rtoMs: number): string {
  const tip = `<title>objective: recovered within ${escapeHtml(formatMeasured(rtoMs))} of the fault</title>`;
  if (atMs <= scale.spanMs) {
    const x = svgNumber(scale.x(atMs));
    return `<line class="objective" x1="${x}" y1="2" x2="${x}" y2="22">${tip}</line>`;
  }
  return `<text class="tick" x="${svgNumber(scale.right)}" y="16" text-anchor="end">objective ${escapeHtml(formatMeasured(rtoMs))} ▸${tip}</text>`;
}

/** A label's place: which lane under the marks, and where it starts and ends. */
interface Placed {
  lane: number;
  left: number;
  right: number;
  anchor: 'start' | 'end';
}

/**
 * A diamond per stage reached, and its name under it: starting at the mark, or ending at it
 * where it would run past the right edge. A name that would touch another one already placed
 * goes into the next lane down, so marks close together get their names one under the other.
 */
function stageRow(stages: readonly StageModel[], scale: TimeScale): Row {
  const reached = stages.filter((s) => s.atMs !== null).map((s) => ({ stage: s, x: scale.x(s.atMs!) }));
  const lanes: Placed[][] = [];
  const marks = [...reached]
    .sort((a, b) => a.x - b.x)
    .map(({ stage, x }) => {
      const place = placeLabel(x, textWidth(stage.stage, SMALL_PX), lanes);
      (lanes[place.lane] ??= []).push(place);
      const y = LANE_BASELINE + place.lane * LANE_STEP;
      const labelX = place.anchor === 'start' ? place.left : place.right;
      const label = `<text class="stage-label" x="${svgNumber(labelX)}" y="${y}"${place.anchor === 'end' ? ' text-anchor="end"' : ''}>${stage.stage}</text>`;
      const leader = place.lane > 0 ? `<line class="grid" x1="${svgNumber(x)}" y1="19" x2="${svgNumber(x)}" y2="${y - 10}"/>` : '';
      return `<rect class="stage" x="${svgNumber(x - 4)}" y="9" width="8" height="8" transform="rotate(45 ${svgNumber(x)} 13)"><title>${stage.stage} at ${escapeHtml(formatOffset(stage.atMs!))}</title></rect>${leader}${label}`;
    });
  const extra = lanes.length === 0 ? 0 : LANE_BASELINE + (lanes.length - 1) * LANE_STEP + 4 - TRACK;
  return { label: 'status page', body: marks.join(''), extra };
}

function placeLabel(x: number, width: number, lanes: readonly Placed[][]): Placed {
  // Just past the mark's left corner, or ending just past its right one near the right edge.
  const startsAt = x - 4;
  const [left, right, anchor] =
    startsAt + width <= WIDTH - 2 ? [startsAt, startsAt + width, 'start' as const] : [x + 4 - width, x + 4, 'end' as const];
  for (let lane = 0; ; lane += 1) {
    const taken = lanes[lane] ?? [];
    if (taken.every((other) => right + LABEL_ROOM <= other.left || left >= other.right + LABEL_ROOM)) return { lane, left, right, anchor };
  }
}

function bar(kind: string, scale: TimeScale, fromMs: number, untilMs: number, tip: string): string {
  const x = scale.x(fromMs);
  const width = Math.max(scale.x(untilMs) - x, 1.5);
  return `<rect class="${kind}" x="${svgNumber(x)}" y="5" width="${svgNumber(width)}" height="14" rx="2"><title>${escapeHtml(tip)}</title></rect>`;
}

function marker(kind: 'detected' | 'recovered', x: number, tip: string): string {
  return `<circle class="${kind}" cx="${svgNumber(x)}" cy="12" r="5"><title>${escapeHtml(tip)}</title></circle>`;
}

const LEGEND: readonly [string, string][] = [
  ['fault', 'fault in effect'],
  ['degraded', 'degraded'],
  ['detected', 'first failure'],
  ['recovered', 'held again'],
  ['objective', 'objective'],
];

/** The legend on one line, under the axis from the label column on, or further left when it would not fit. */
function legend(y: number, labelColumn: number): string {
  const widths = LEGEND.map(([, text]) => 16 + textWidth(text, SMALL_PX) + 18);
  const total = widths.reduce((a, b) => a + b, 0);
  let x = Math.round(Math.max(8, Math.min(labelColumn, WIDTH - 8 - total)));
  return LEGEND.map(([kind, text], i) => {
    const swatch =
      kind === 'detected' || kind === 'recovered'
        ? `<circle class="${kind}" cx="${x + 5}" cy="${y - 4}" r="5"/>`
        : kind === 'objective'
          ? `<line class="objective" x1="${x + 5}" y1="${y - 11}" x2="${x + 5}" y2="${y + 3}"/>`
          : `<rect class="${kind}" x="${x}" y="${y - 10}" width="12" height="10" rx="2"/>`;
    const item = `${swatch}<text class="tick" x="${x + 16}" y="${y}">${text}</text>`;
    x += Math.ceil(widths[i] ?? 0);
    return item;
  }).join('');
}
