/**
 * A wait step's probe samples, kept for the engineering report's chart in bounded memory.
 *
 * A drill that polls every 50 ms for an hour takes 72,000 samples; a chart a few hundred
 * pixels wide shows no more than a few hundred points. So the series holds at most
 * MAX_POINTS points: when it is full, neighbours merge pairwise and the series goes on at half
 * the density. Merging keeps what a reader must not miss: a point is failed when any sample
 * in it failed, and its latency is the highest seen. The result depends only on the samples
 * in order, so the same journal gives the same chart.
 */

export interface SamplePoint {
  /** When the first sample in this point began (ms since the drill started). */
  atMs: number;
  /** When the last sample in this point began. */
  untilMs: number;
  /** The highest latency among its samples. */
  latencyMs: number;
  samples: number;
  failed: number;
}

export interface SampleSeries {
  points: SamplePoint[];
  /** How many samples each point holds at most, now (1, 2, 4, …). */
  perPoint: number;
}

export const MAX_POINTS = 512;

export function emptySeries(): SampleSeries {
  return { points: [], perPoint: 1 };
}

export function addSample(series: SampleSeries, sample: { atMs: number; latencyMs: number; ok: boolean }): void {
  const hasRoom = (point: SamplePoint | undefined): point is SamplePoint => point !== undefined && point.samples < series.perPoint;
  // Halving doubles perPoint, so afterwards the last point may take the sample after all.
  if (series.points.length === MAX_POINTS && !hasRoom(series.points.at(-1))) halve(series);
  const last = series.points.at(-1);
  if (hasRoom(last)) {
    last.untilMs = sample.atMs;
    last.latencyMs = Math.max(last.latencyMs, sample.latencyMs);
    last.samples += 1;
    if (!sample.ok) last.failed += 1;
  } else {
    series.points.push({ atMs: sample.atMs, untilMs: sample.atMs, latencyMs: sample.latencyMs, samples: 1, failed: sample.ok ? 0 : 1 });
  }
}

function halve(series: SampleSeries): void {
  const merged: SamplePoint[] = [];
  for (let i = 0; i < series.points.length; i += 2) {
    const a = series.points[i]!;
    const b = series.points[i + 1];
    merged.push(
      b
        ? {
            atMs: a.atMs,
            untilMs: b.untilMs,
            latencyMs: Math.max(a.latencyMs, b.latencyMs),
            samples: a.samples + b.samples,
            failed: a.failed + b.failed,
          }
        : a,
    );
  }
  series.points = merged;
  series.perPoint *= 2;
}
