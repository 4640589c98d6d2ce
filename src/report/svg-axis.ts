import { svgNumber } from './html-text.js';
import { trimZeros } from '../number-words.js';

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
      `<text class="tick" x="${x}" y="${svgNumber(y + 14)}" text-anchor="middle">${trimZeros((ms / 1000).toFixed(3))}s</text>`,
    );
  }
  return parts.join('');
}

function tickStep(spanMs: number): number {
  const rough = spanMs / 8;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}
