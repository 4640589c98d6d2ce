/**
 * How two measurements of one recovery time compare. A polled measurement is late by up to its
 * resolution, never early: the baseline's true time lies in [measured − r_baseline, measured],
 * and so does this run's with its own resolution. The true change therefore lies between
 * `change − r_current` (this run was as late as it could be, the baseline exact) and
 * `change + r_baseline` (the other way round). Only a change whose whole range lies on one side
 * of zero is slower or faster; otherwise it is "within resolution", neither better nor worse.
 * A missing resolution counts as 0 (the measurement claims to be exact).
 */

export interface MeasuredChange {
  /** current − baseline: positive is slower. */
  changeMs: number;
  /** The change in percent of the baseline; null when the baseline is 0. */
  changePct: number | null;
  /** The least the true change can be: `changeMs − r_current`. Slower only when above 0. */
  lowerBoundChangeMs: number;
  /** The most the true change can be: `changeMs + r_baseline`. Faster only when below 0. */
  upperBoundChangeMs: number;
  /** The lower bound in percent of the baseline; null when the baseline is 0. */
  lowerBoundChangePct: number | null;
  /** The two resolutions added: how wide the range of the true change is. */
  combinedResolutionMs: number;
  direction: 'slower' | 'faster' | 'within-resolution';
}

export interface Measurement {
  measuredMs: number;
  resolutionMs: number | null;
}

export function measuredChange(baseline: Measurement, current: Measurement): MeasuredChange {
  const baselineResolutionMs = baseline.resolutionMs ?? 0;
  const currentResolutionMs = current.resolutionMs ?? 0;
  const changeMs = current.measuredMs - baseline.measuredMs;
  const lowerBoundChangeMs = changeMs - currentResolutionMs;
  const upperBoundChangeMs = changeMs + baselineResolutionMs;
  const percentOfBaseline = (ms: number) => (baseline.measuredMs > 0 ? (ms / baseline.measuredMs) * 100 : null);
  const direction = lowerBoundChangeMs > 0 ? 'slower' : upperBoundChangeMs < 0 ? 'faster' : 'within-resolution';
  return {
    changeMs,
    changePct: percentOfBaseline(changeMs),
    lowerBoundChangeMs,
    upperBoundChangeMs,
    lowerBoundChangePct: percentOfBaseline(lowerBoundChangeMs),
    combinedResolutionMs: baselineResolutionMs + currentResolutionMs,
    direction,
  };
}

/**
 * Whether a slowdown exceeds `maxPct` percent of the baseline even at its lower bound. Compared by
 * multiplying, not dividing, so a change exactly at a whole-number limit is not tipped over it by
 * float rounding. A baseline of 0 makes any slowdown beyond the resolution exceed every limit.
 */
export function exceedsLimit(baselineMs: number, change: MeasuredChange, maxPct: number): boolean {
  if (change.direction !== 'slower') return false;
  if (baselineMs <= 0) return true;
  return change.lowerBoundChangeMs * 100 > maxPct * baselineMs;
}
