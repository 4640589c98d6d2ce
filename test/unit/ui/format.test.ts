import { describe, expect, it } from 'vitest';
import { formatOffset, formatRunning } from '../../../src/cli/ui/format.js';
import { formatMeasured, formatTarget } from '../../../src/words/time-format.js';

describe('terminal number formats', () => {
  it('rounds measurements up, never down, so a recovery never looks faster than measured', () => {
    expect(formatMeasured(3251.2)).toBe('3.252s');
    expect(formatMeasured(3251)).toBe('3.251s');
    expect(formatMeasured(3251.2, 2)).toBe('3.26s');
    expect(formatMeasured(3250, 2)).toBe('3.25s');
    expect(formatMeasured(62_345)).toBe('62.345s');
    expect(formatMeasured(0.4)).toBe('0.001s');
    expect(formatMeasured(-5)).toBe('0.000s');
  });

  it('does not add a unit for float noise from nanosecond arithmetic', () => {
    expect(formatMeasured(3251.0000000001)).toBe('3.251s');
    expect(formatMeasured(3260.0000000001, 2)).toBe('3.26s');
  });

  it('writes configured durations the way a playbook would', () => {
    expect([
      formatTarget(250),
      formatTarget(1500),
      formatTarget(15_000),
      formatTarget(90_000),
      formatTarget(120_000),
      formatTarget(3_723_000),
    ]).toEqual(['250ms', '1.5s', '15s', '1m30s', '2m', '1h2m3s']);
  });

  it('shows running clocks in tenths and offsets since the start in milliseconds', () => {
    expect([formatRunning(999), formatRunning(62_345)]).toEqual(['0.9s', '1m02.3s']);
    expect([formatOffset(0n), formatOffset(1_234_999_999n), formatOffset(754_000_000_000n)]).toEqual(['+0.000s', '+1.234s', '+754.000s']);
  });
});
