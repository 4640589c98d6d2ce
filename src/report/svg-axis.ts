import { svgNumber } from './html-text.js';
import { trimZeros } from '../words/number-words.js';

/** A time axis shared by the report's charts: milliseconds since the drill started → x. */
export interface TimeScale {
  x(ms: number): number;
  readonly left: number;
  readonly right: number;
  readonly spanMs: number;
}

export function timeScale(spanMs: number, left: number, right: number): TimeScale {
  const span = Math.max(spanMs, 1);
  return { left, right, spanMs: span, x: (ms) => left + (Math.min(Math.max(ms, 0), span) / span) * (right - left) };
}

/** Tick marks at 1, 2 or 5 × 10ⁿ seconds, at most about eight of them, labelled in seconds. */
export function timeTicks(scale: TimeScale, y: number, height: number): string {
  const step = tickStep(scale.spanMs);
  const parts: string[] = [];
  for (let ms = 0; ms <= scale.spanMs + 1e-9; ms += step) {
    const x = svgNumber(scale.x(ms));
    parts.push(
      `<line class="grid" x1="${x}" y1="${svgNumber(y - height)}" x2="${x}" y2="${svgNumber(y)}"/>`,
      `<text class="tick" x="${x}" y="${svgNumber(y + 14)}" text-anchor="middle">${tickSeconds(ms)}</text>`,
    );
  }
  return parts.join('');
}

/** A tick's label: seconds, to the millisecond, without trailing zeros ("2.5s", "10s"). */
export function tickSeconds(ms: number): string {
  return `${trimZeros((ms / 1000).toFixed(3))}s`;
}

/** At least a millisecond between ticks. */
function tickStep(spanMs: number): number {
  return niceCeiling(Math.max(spanMs / 8, 1));
}

/** 1, 2 or 5 × 10ⁿ at or above the value (n from its order of magnitude): a chart's top, or a tick step. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}
