import { trimZeros } from './number-words.js';
import { formatAtLeast, formatMeasured } from './time-format.js';

/**
 * How history writes a change between two recovery times. Never flattering: a slowdown is
 * rounded up and a speed-up rounded down, in seconds and in percent alike.
 */

/** "+1.399s" slower, "-0.149s" faster, "±0.000s" for none. */
export function formatChange(changeMs: number): string {
  if (changeMs > 0) return `+${formatMeasured(changeMs)}`;
  if (changeMs < 0) return `-${formatAtLeast(-changeMs)}`;
  return '±0.000s';
}

/** Float noise below this is no change of a tenth of a percent. */
const PCT_SLACK = 1e-9;

/** "+69.3%", "-4.5%", "±0%"; tenths of a percent, rounded against flattery. */
export function formatChangePct(changePct: number): string {
  if (changePct > 0) return `+${tenths(Math.ceil(changePct * 10 - PCT_SLACK))}%`;
  if (changePct < 0) return `-${tenths(Math.floor(-changePct * 10 + PCT_SLACK))}%`;
  return '±0%';
}

function tenths(units: number): string {
  return trimZeros((units / 10).toFixed(1));
}
