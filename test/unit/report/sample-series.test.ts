import { describe, expect, it } from 'vitest';
import { MAX_POINTS, addSample, emptySeries } from '../../../src/report/sample-series.js';

describe('the sample series', () => {
  it('keeps every sample as a point while there are few', () => {
    const series = emptySeries();
    for (let i = 0; i < 10; i += 1) addSample(series, { atMs: i * 100, latencyMs: i, ok: i !== 3 });
    expect(series.points).toHaveLength(10);
    expect(series.points[3]).toEqual({ atMs: 300, untilMs: 300, latencyMs: 3, samples: 1, failed: 1 });
  });

  it('stays within its bound however many samples come, and loses no failure, count or peak', () => {
    const series = emptySeries();
    const total = 100_003;
    for (let i = 0; i < total; i += 1) addSample(series, { atMs: i * 50, latencyMs: i === 77_777 ? 9_000 : 5, ok: i % 10_000 !== 1 });
    expect(series.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(series.points.length).toBeGreaterThan(MAX_POINTS / 4);
    expect(series.points.reduce((n, p) => n + p.samples, 0)).toBe(total);
    expect(series.points.reduce((n, p) => n + p.failed, 0)).toBe(11);
    expect(Math.max(...series.points.map((p) => p.latencyMs))).toBe(9_000);
    expect(series.points[0]!.atMs).toBe(0);
    expect(series.points.at(-1)!.untilMs).toBe((total - 1) * 50);
    for (const [i, p] of series.points.entries()) if (i > 0) expect(p.atMs).toBeGreaterThan(series.points[i - 1]!.untilMs);
  });
});
