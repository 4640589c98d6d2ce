/**
 * Numbers as people read them in the terminal. Two kinds of duration, on purpose:
 * - a *span* is a configured value (an interval, a timeout, an objective): shown compactly ("250ms", "15s", "1m30s");
 * - a *measurement* is something the drill observed: rounded UP, never down, so a displayed
 *   recovery time is never better than the one measured ("Truth in measurement", PRODUCT.md).
 */

const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;
const MS_PER_HOUR = 3_600_000;

/** A configured duration: "250ms", "15s", "1.5s", "1m30s", "2h5m". */
export function formatSpan(ms: number): string {
  if (ms < MS_PER_S) return `${trimDecimals(ms, 3)}ms`;
  if (ms < MS_PER_MIN) return `${trimDecimals(ms / MS_PER_S, 3)}s`;
  const hours = Math.floor(ms / MS_PER_HOUR);
  const minutes = Math.floor((ms % MS_PER_HOUR) / MS_PER_MIN);
  const seconds = (ms % MS_PER_MIN) / MS_PER_S;
  const parts = [hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : '', seconds > 0 ? `${trimDecimals(seconds, 3)}s` : ''];
  return parts.join('');
}

/**
 * Journal times are whole nanoseconds, but a difference of two millisecond floats can land a
 * hair above a whole millisecond; a nanosecond's slack keeps that from adding a unit.
 */
const SLACK_MS = 1e-6;

/**
 * A measured duration in seconds, rounded up to the millisecond: 3251.2 → "3.252s",
 * 62345 → "62.345s" (as the reports write it). `decimals` (1–3) shortens it for the live
 * view, still rounding up: 3251.2 with 2 → "3.26s".
 */
export function formatMeasured(ms: number, decimals = 3): string {
  const unitMs = 10 ** (3 - decimals);
  const units = Math.max(0, Math.ceil(ms / unitMs - SLACK_MS / unitMs));
  const perSecond = 10 ** decimals;
  const fraction = String(units % perSecond).padStart(decimals, '0');
  return `${Math.floor(units / perSecond)}.${fraction}s`;
}

/** A running clock for the live view, truncated to tenths: "12.3s", "1m02.3s". */
export function formatRunning(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1);
  return minutes === 0 ? `${seconds}s` : `${minutes}m${seconds.padStart(4, '0')}s`;
}

/** Time since the drill's clock origin, for the plain log's second column: "+1.234s". */
export function formatOffset(monoNs: bigint): string {
  const ms = monoNs / 1_000_000n;
  const seconds = ms / 1000n;
  const millis = (ms % 1000n).toString().padStart(3, '0');
  return `+${seconds}.${millis}s`;
}

/** "1 sample", "24 samples". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function trimDecimals(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}
