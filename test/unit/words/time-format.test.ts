import { describe, expect, it } from 'vitest';
import {
  ceilMs,
  formatAtLeast,
  formatBound,
  formatMeasured,
  formatOffset,
  formatResolution,
  formatTarget,
  formatWallTime,
} from '../../../src/words/time-format.js';

describe('time formatting', () => {
  it('rounds measured durations up to the millisecond shown, never down', () => {
    expect(formatMeasured(3000)).toBe('3.000s');
    expect(formatMeasured(3000.0004)).toBe('3.001s');
    expect(formatMeasured(2999.2)).toBe('3.000s');
    expect(formatMeasured(32_251)).toBe('32.251s');
    expect(formatMeasured(62_000.5)).toBe('62.001s');
  });

  it('does not add a millisecond for float noise below a nanosecond', () => {
    expect(ceilMs(3001.0000000002)).toBe(3001);
    expect(ceilMs(3001.000001)).toBe(3002);
    expect(formatMeasured(0)).toBe('0.000s');
  });

  it('rounds lower bounds and points in time down', () => {
    expect(formatAtLeast(1751.9)).toBe('1.751s');
    expect(formatOffset(3157.4)).toBe('+3.157s');
    expect(formatOffset(0)).toBe('+0.000s');
  });

  it('writes targets exactly, as a playbook would', () => {
    expect(formatTarget(250)).toBe('250ms');
    expect(formatTarget(1234)).toBe('1.234s');
    expect(formatTarget(30_000)).toBe('30s');
    expect(formatTarget(90_500)).toBe('1m30.5s');
    expect(formatTarget(600_000)).toBe('10m');
    expect(formatTarget(5_400_000)).toBe('1h30m');
  });

  it('states the resolution and how it was obtained', () => {
    expect(formatResolution(250, 250)).toBe('±250ms (polled every 250ms)');
    expect(formatResolution(250, null)).toBe('±250ms');
    expect(formatResolution(1234.5, 250)).toBe('±1.235s (polled every 250ms; the checks around the recovery were further apart)');
    expect(formatResolution(null, null)).toBe('not stated');
    // The terminal shows the same bound: a widened resolution rounded up, never raw digits.
    expect(formatBound(250)).toBe('±250ms');
    expect(formatBound(250.092554)).toBe('±0.251s');
  });

  it('writes wall time as UTC without going through the local time zone', () => {
    expect(formatWallTime('2026-05-12T09:30:00.000Z')).toBe('2026-05-12 09:30:00.000 UTC');
  });
});
