import { escapeHtml, svgNumber } from './html-text.js';
import type { DrillModel, FaultModel, StepModel } from './model-types.js';
import { referenceFault } from './report-words.js';
import type { StageModel } from './status-stages.js';
import { timeScale, timeTicks, type TimeScale } from './svg-axis.js';
import { formatMeasured, formatOffset } from './time-format.js';

/**
 * The drill on one time axis, as an inline SVG: when each fault was in effect, when each
 * check first saw the trouble (detection), how long it stayed degraded and when it held
 * again (recovery) against its objective, and the status-page stages underneath. Static
 * markup only (no script, no fonts, no links), so it renders anywhere and prints as drawn.
 */

const WIDTH = 760;
const LABEL_WIDTH = 190;
const ROW = 26;
const TOP = 10;

interface Row {
  label: string;
  body: string;
}

export function renderTimelineSvg(model: DrillModel, stages: readonly StageModel[]): string {
  const spanMs = Math.max(model.durationMs, ...model.faults.map((f) => f.revert?.atMs ?? 0));
  const scale = timeScale(spanMs, LABEL_WIDTH, WIDTH - 16);
  const rows: Row[] = [
    ...model.faults.filter((f) => f.appliedAtMs !== null).map((f) => faultRow(model, f, scale)),
    ...model.steps.filter((s) => s.action === 'wait' && s.startedAtMs !== null).map((s) => waitRow(model, s, scale)),
  ];
  if (stages.length > 0) rows.push(stageRow(stages, scale));
  const axisY = TOP + rows.length * ROW + 4;
  const height = axisY + 40;
  const body = rows.map((row, i) => {
    const y = TOP + i * ROW;
    return `<g transform="translate(0 ${y})"><text class="label" x="${LABEL_WIDTH - 8}" y="16" text-anchor="end">${escapeHtml(clip(row.label, 28))}</text>${row.body}</g>`;
  });
  const summary = `Timeline of the drill over ${formatMeasured(model.durationMs)}: ${rows.map((r) => r.label).join('; ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(summary)}">`,
    `<title>${escapeHtml(summary)}</title>`,
    timeTicks(scale, axisY, axisY - TOP),
    `<line class="axis" x1="${LABEL_WIDTH}" y1="${axisY}" x2="${WIDTH - 16}" y2="${axisY}"/>`,
    ...body,
    legend(height - 10),
    '</svg>',
  ].join('\n');
}

function faultRow(model: DrillModel, f: FaultModel, scale: TimeScale): Row {
  const from = f.appliedAtMs ?? 0;
  const until = f.revert?.atMs ?? f.expiry?.atMs ?? model.durationMs;
  const open = f.revert === null ? ' open' : '';
  const tip = `fault ${f.ref} in effect from ${formatOffset(from)} ${f.revert ? `until reverted at ${formatOffset(until)}` : 'until the journal ends'}`;
  return { label: `fault ${f.ref}`, body: bar(`fault${open}`, scale, from, until, tip) };
}

function waitRow(model: DrillModel, step: StepModel, scale: TimeScale): Row {
  const wait = step.wait!;
  const fault = referenceFault(model, step);
  const parts: string[] = [];
  const from = fault?.appliedAtMs ?? null;
  if (from !== null) {
    const held = wait.met === true ? wait.heldFromAtMs : null;
    const until = held ?? wait.lastSample?.atMs ?? step.finishedAtMs ?? model.durationMs;
    const tip = held !== null ? `degraded from the fault until it held again at ${formatOffset(held)}` : `not seen to recover by ${formatOffset(until)}`;
    parts.push(bar(held !== null ? 'degraded' : 'degraded open', scale, from, until, tip));
    if (step.rtoMs !== null) parts.push(objectiveMark(scale, from + step.rtoMs, step.rtoMs));
  }
  if (wait.firstFailure && (from === null || wait.firstFailure.atMs >= from)) {
    const known = wait.firstFailure.answeredAtMs;
    parts.push(marker('detected', scale.x(known), `first failing check began at ${formatOffset(wait.firstFailure.atMs)}, failed at ${formatOffset(known)}`));
  }
  if (wait.met === true && wait.heldFromAtMs !== null) {
    parts.push(marker('recovered', scale.x(wait.heldFromAtMs), `held again from ${formatOffset(wait.heldFromAtMs)}`));
  }
  return { label: step.name, body: parts.join('') };
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

function stageRow(stages: readonly StageModel[], scale: TimeScale): Row {
  const marks = stages
    .filter((s) => s.atMs !== null)
    .map((s, i) => {
      const x = scale.x(s.atMs!);
      const y = i % 2 === 0 ? 10 : 24;
      // Near the right edge the label goes to the left of its mark, so it is never cut off.
      const nearEnd = x > scale.right - 90;
      const label = `<text class="stage-label" x="${svgNumber(nearEnd ? x - 7 : x + 7)}" y="${y}"${nearEnd ? ' text-anchor="end"' : ''}>${s.stage}</text>`;
      return `<rect class="stage" x="${svgNumber(x - 4)}" y="9" width="8" height="8" transform="rotate(45 ${svgNumber(x)} 13)"><title>${s.stage} at ${escapeHtml(formatOffset(s.atMs!))}</title></rect>${label}`;
    });
  return { label: 'status page', body: marks.join('') };
}

function bar(kind: string, scale: TimeScale, fromMs: number, untilMs: number, tip: string): string {
  const x = scale.x(fromMs);
  const width = Math.max(scale.x(untilMs) - x, 1.5);
  return `<rect class="${kind}" x="${svgNumber(x)}" y="5" width="${svgNumber(width)}" height="14" rx="2"><title>${escapeHtml(tip)}</title></rect>`;
}

function marker(kind: 'detected' | 'recovered', x: number, tip: string): string {
  return `<circle class="${kind}" cx="${svgNumber(x)}" cy="12" r="5"><title>${escapeHtml(tip)}</title></circle>`;
}

function legend(y: number): string {
  const items: [string, string][] = [['fault', 'fault in effect'], ['degraded', 'degraded'], ['detected', 'first failure'], ['recovered', 'held again'], ['objective', 'objective']];
  return items
    .map(([kind, text], i) => {
      const x = LABEL_WIDTH + i * 112;
      const swatch = kind === 'detected' || kind === 'recovered'
        ? `<circle class="${kind}" cx="${x + 5}" cy="${y - 4}" r="5"/>`
        : kind === 'objective'
          ? `<line class="objective" x1="${x + 5}" y1="${y - 11}" x2="${x + 5}" y2="${y + 3}"/>`
          : `<rect class="${kind}" x="${x}" y="${y - 10}" width="12" height="10" rx="2"/>`;
      return `${swatch}<text class="tick" x="${x + 16}" y="${y}">${text}</text>`;
    })
    .join('');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
