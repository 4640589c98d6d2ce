import { formatMeasured, formatTarget } from '../words/time-format.js';
import type { ObjectiveTrend, TrendPoint } from './trend.js';
import { xmlSafe } from '../report/xml-text.js';
import { tickSeconds } from '../report/svg-axis.js';

/**
 * One objective's recovery time over runs as an inline SVG line chart: a point per measured run
 * (missed ones red and crossed), the line broken where a run measured nothing (a grey ring on the
 * axis marks it), the target as a dashed line, the y axis in seconds. Pure and deterministic:
 * the same trend gives the same bytes (fixed geometry, numbers with one decimal, no ids, no dates
 * but the runs' own). No script, no external reference.
 */

const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 60;
const RIGHT = 80;
const TOP = 16;
const BOTTOM = 58;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const MAX_X_LABELS = 6;
const MAX_Y_TICKS = 5;

const COLOR = {
  axis: '#6b7280',
  grid: '#e5e7eb',
  line: '#2563eb',
  met: '#2563eb',
  missed: '#dc2626',
  target: '#059669',
  gap: '#9ca3af',
  text: '#374151',
};

export function renderTrendSvg(trend: ObjectiveTrend, title: string): string {
  const { points } = trend;
  const scale = yScale(points);
  const x = (i: number) => (points.length === 1 ? LEFT + PLOT_W / 2 : LEFT + (i * PLOT_W) / (points.length - 1));
  const y = (ms: number) => TOP + PLOT_H - (ms / scale.maxMs) * PLOT_H;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    ...yAxis(scale, y),
    ...xAxis(points, x),
    ...targetLine(points, x, y),
    path(
      segments(points.map((p, i) => (p.measuredMs === null ? null : [x(i), y(p.measuredMs)]))),
      `stroke="${COLOR.line}" stroke-width="2"`,
    ),
    ...points.map((p, i) => pointMark(p, x(i), p.measuredMs === null ? null : y(p.measuredMs))),
    '</svg>',
  ];
  return parts.filter((part) => part !== '').join('\n');
}

interface YScale {
  maxMs: number;
  stepMs: number;
}

/** 0 up to a round number of seconds above every measurement and target, in at most 5 steps. */
function yScale(points: readonly TrendPoint[]): YScale {
  const values = points.flatMap((p) => [p.measuredMs, p.targetMs]).filter((v): v is number => v !== null);
  const top = Math.max(0, ...values);
  if (top <= 0) return { maxMs: 1000, stepMs: 250 };
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const unit of [1, 2, 5]) {
      const stepMs = unit * magnitude;
      const steps = Math.ceil(top / stepMs);
      if (steps <= MAX_Y_TICKS) return { maxMs: steps * stepMs, stepMs };
    }
  }
}

function yAxis(scale: YScale, y: (ms: number) => number): string[] {
  const lines: string[] = [];
  for (let ms = 0; ms <= scale.maxMs; ms += scale.stepMs) {
    const at = num(y(ms));
    lines.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${at}" y2="${at}" stroke="${COLOR.grid}"/>`);
    lines.push(`<text x="${LEFT - 6}" y="${num(y(ms) + 4)}" text-anchor="end" fill="${COLOR.text}">${tickSeconds(ms)}</text>`);
  }
  lines.push(`<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="${COLOR.axis}"/>`);
  lines.push(
    `<text transform="translate(14 ${num(TOP + PLOT_H / 2)}) rotate(-90)" text-anchor="middle" fill="${COLOR.text}">recovery time (s)</text>`,
  );
  return lines;
}

function xAxis(points: readonly TrendPoint[], x: (i: number) => number): string[] {
  const base = TOP + PLOT_H;
  const lines = [`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base}" y2="${base}" stroke="${COLOR.axis}"/>`];
  for (const i of labelledIndices(points.length)) {
    const [day, time] = shortTime(points[i]!, i);
    const at = num(x(i));
    lines.push(
      `<text y="${base + 16}" text-anchor="middle" fill="${COLOR.text}"><tspan x="${at}">${escapeXml(day)}</tspan><tspan x="${at}" dy="13">${escapeXml(time)}</tspan></text>`,
    );
  }
  lines.push(
    `<text x="${num(LEFT + PLOT_W / 2)}" y="${HEIGHT - 8}" text-anchor="middle" fill="${COLOR.text}">runs, oldest to newest (start time, UTC)</text>`,
  );
  return lines;
}

/** At most six evenly spread runs get their start (day, then time) under the axis, the first and the last always. */
function labelledIndices(n: number): number[] {
  const m = Math.min(n, MAX_X_LABELS);
  if (m <= 1) return n === 1 ? [0] : [];
  return [...new Set(Array.from({ length: m }, (_, j) => Math.round((j * (n - 1)) / (m - 1))))];
}

function shortTime(point: TrendPoint, i: number): [string, string] {
  return point.startedAt ? [point.startedAt.slice(5, 10), point.startedAt.slice(11, 16)] : [`run ${i + 1}`, ''];
}

function targetLine(points: readonly TrendPoint[], x: (i: number) => number, y: (ms: number) => number): string[] {
  const line = path(
    segments(points.map((p, i) => (p.targetMs === null ? null : [x(i), y(p.targetMs)]))),
    `stroke="${COLOR.target}" stroke-width="1.5" stroke-dasharray="6 4"`,
  );
  const lastIndex = points.findLastIndex((p) => p.targetMs !== null);
  if (lastIndex === -1) return [line];
  const target = points[lastIndex]!.targetMs!;
  const label = `<text x="${num(x(lastIndex) + 8)}" y="${num(y(target) + 4)}" fill="${COLOR.target}">target ${escapeXml(formatTarget(target))}</text>`;
  return [line, label];
}

function pointMark(p: TrendPoint, cx: number, cy: number | null): string {
  const who = `${p.runId}${p.startedAt ? ` (${p.startedAt})` : ''}`;
  if (cy === null) {
    const why = p.targetMs === null ? 'no such objective in this run' : 'not measured';
    return `<g><title>${escapeXml(`${who}: ${why}`)}</title><circle cx="${num(cx)}" cy="${TOP + PLOT_H}" r="3.5" fill="#ffffff" stroke="${COLOR.gap}" stroke-width="1.5"/></g>`;
  }
  const outcome = p.met === true ? 'met' : p.met === false ? 'missed' : 'not evaluated';
  const target = p.targetMs === null ? '' : ` against ${formatTarget(p.targetMs)}`;
  const title = `<title>${escapeXml(`${who}: ${formatMeasured(p.measuredMs!)}${target}, ${outcome}`)}</title>`;
  if (p.met !== false) return `<g>${title}<circle cx="${num(cx)}" cy="${num(cy)}" r="4" fill="${COLOR.met}"/></g>`;
  const d = 4;
  const cross = `<path d="M${num(cx - d)} ${num(cy - d)}L${num(cx + d)} ${num(cy + d)}M${num(cx - d)} ${num(cy + d)}L${num(cx + d)} ${num(cy - d)}" stroke="#ffffff" stroke-width="1.5"/>`;
  return `<g>${title}<circle cx="${num(cx)}" cy="${num(cy)}" r="6" fill="${COLOR.missed}"/>${cross}</g>`;
}

/** Runs of consecutive defined points; a null breaks the line. */
function segments(points: readonly ([number, number] | null)[]): [number, number][][] {
  const runs: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const point of points) {
    if (point === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push(point);
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** One path for every segment; a lone point draws nothing (its mark shows it). */
function path(runs: [number, number][][], style: string): string {
  const d = runs
    .filter((run) => run.length > 1)
    .map((run) => run.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${num(px)} ${num(py)}`).join(''))
    .join('');
  return d === '' ? '' : `<path d="${d}" fill="none" ${style}/>`;
}

/** One decimal, never "-0.0". */
function num(value: number): string {
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}

/** Text safe inside XML and HTML: markup characters escaped, characters XML forbids dropped. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
