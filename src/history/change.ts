/**
 * How two measurements of one recovery time compare. A polled measurement is late by up to
 * its resolution, never early, so two measurements can differ by up to their two resolutions
 * added without anything having changed: such a change is "within resolution", neither better
 * nor worse. A missing resolution counts as 0 (the measurement claims to be exact).
 */

export interface MeasuredChange {
  /** current − baseline: positive is slower. */
  changeMs: number;
  /** The change in percent of the baseline; null when the baseline is 0. */
  changePct: number | null;
  combinedResolutionMs: number;
  direction: 'slower' | 'faster' | 'within-resolution';
}

export interface Measurement {
  measuredMs: number;
  resolutionMs: number | null;
}

export function measuredChange(baseline: Measurement, current: Measurement): MeasuredChange {
  const changeMs = current.measuredMs - baseline.measuredMs;
  const combinedResolutionMs = (baseline.resolutionMs ?? 0) + (current.resolutionMs ?? 0);
  const changePct = baseline.measuredMs > 0 ? (changeMs / baseline.measuredMs) * 100 : null;
  const direction = changeMs > combinedResolutionMs ? 'slower' : changeMs < -combinedResolutionMs ? 'faster' : 'within-resolution';
  return { changeMs, changePct, combinedResolutionMs, direction };
}
