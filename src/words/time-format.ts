import { trimZeros } from './number-words.js';

/**
 * How reports write times. Measured durations are rounded UP to the millisecond shown, so a
 * report never claims a faster recovery than was measured; targets are written exactly, the way
 * a playbook would. Nothing here depends on the locale or the time zone.
 */

/**
 * Journal times are whole nanoseconds, but a difference of two millisecond floats can land a
 * hair above a whole millisecond; a nanosecond's slack keeps that from adding a millisecond.
 */
const SLACK_MS = 1e-7;

/** Whole milliseconds, rounded up. */
export function ceilMs(ms: number): number {
  return Math.max(0, Math.ceil(ms - SLACK_MS));
}

/** Whole milliseconds, rounded down: for points in time and for lower bounds. */
export function floorMs(ms: number): number {
  return Math.max(0, Math.floor(ms + SLACK_MS));
}

/**
 * A measured duration in seconds, rounded up: "3.252s" for 3251.2 ms. `decimals` (1–3)
 * shortens it for the terminal's live view, still rounding up: 3251.2 with 2 → "3.26s".
 */
export function formatMeasured(ms: number, decimals = 3): string {
  if (decimals === 3) return secondsText(ceilMs(ms));
  const unitMs = 10 ** (3 - decimals);
  const units = Math.max(0, Math.ceil((ms - SLACK_MS) / unitMs));
  const perSecond = 10 ** decimals;
  return `${Math.floor(units / perSecond)}.${String(units % perSecond).padStart(decimals, '0')}s`;
}

/** A lower bound ("at least …"): rounded down, which is the honest direction for it. */
export function formatAtLeast(ms: number): string {
  return secondsText(floorMs(ms));
}

/** A point on the drill's clock: "+3.250s" since the drill started. */
export function formatOffset(ms: number): string {
  return `+${secondsText(floorMs(ms))}`;
}

/** A target or setting, exactly as a person would write it: "250ms", "30s", "1m30s", "1.5s". */
export function formatTarget(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const restMs = ms % 60_000;
  let text = hours ? `${hours}h` : '';
  if (minutes) text += `${minutes}m`;
  if (restMs) text += restMs % 1000 === 0 ? `${restMs / 1000}s` : `${trimZeros(secondsText(restMs).slice(0, -1))}s`;
  return text;
}

/**
 * A polled measurement is late by at most its resolution: "±250ms" and how it was obtained,
 * "polled every 250ms". The runner widens the resolution beyond the polling interval when the
 * checks around the recovery were further apart (a slow probe); that is said, not hidden.
 */
export function resolutionParts(resolutionMs: number, everyMs: number | null): { bound: string; how: string | null } {
  const bound = formatBound(resolutionMs);
  if (everyMs === null) return { bound, how: null };
  const every = `polled every ${formatTarget(everyMs)}`;
  return { bound, how: resolutionMs > everyMs ? `${every}; the checks around the recovery were further apart` : every };
}

/** "±250ms"; a widened resolution (not a whole number of ms) rounded up like a measurement: "±0.251s". */
export function formatBound(resolutionMs: number): string {
  return `±${Number.isInteger(resolutionMs) ? formatTarget(resolutionMs) : formatMeasured(resolutionMs)}`;
}

/** "±250ms (polled every 250ms)", for tables. */
export function formatResolution(resolutionMs: number | null, everyMs: number | null): string {
  if (resolutionMs === null) return 'not stated';
  const { bound, how } = resolutionParts(resolutionMs, everyMs);
  return how ? `${bound} (${how})` : bound;
}

/** "±250ms, polled every 250ms", for inside a parenthesis in a sentence. */
export function formatResolutionInline(resolutionMs: number, everyMs: number | null): string {
  const { bound, how } = resolutionParts(resolutionMs, everyMs);
  return how ? `${bound}, ${how}` : bound;
}

/** "2026-05-12 09:30:00.000 UTC" from the journal's ISO UTC time, without a Date round trip. */
export function formatWallTime(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, ' UTC');
}

function secondsText(wholeMs: number): string {
  const seconds = Math.floor(wholeMs / 1000);
  const millis = wholeMs % 1000;
  return `${seconds}.${String(millis).padStart(3, '0')}s`;
}

/** "2026-05-12 09:30:00", to the second; "?" when unknown. */
export function when(iso: string | null): string {
  return iso === null ? '?' : iso.slice(0, 19).replace('T', ' ');
}
