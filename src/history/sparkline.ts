/** The eight block heights a sparkline is drawn with, lowest first. */
const SPARK_LEVELS = '▁▂▃▄▅▆▇█';
/** A run without a measurement: a gap, not a zero. */
const SPARK_GAP = '·';

/**
 * One character per value: the smallest measured value is ▁ and the largest █, linearly in
 * between; null is a gap (·). When every value is the same, all are drawn mid-height (▄), so a
 * flat line does not read as "fast" or "slow". Pure.
 */
export function sparkline(values: readonly (number | null)[]): string {
  const measured = values.filter((v): v is number => v !== null);
  if (measured.length === 0) return SPARK_GAP.repeat(values.length);
  const min = Math.min(...measured);
  const span = Math.max(...measured) - min;
  const top = SPARK_LEVELS.length - 1;
  return values
    .map((v) => {
      if (v === null) return SPARK_GAP;
      const level = span === 0 ? Math.floor(top / 2) : Math.round(((v - min) / span) * top);
      return SPARK_LEVELS[level];
    })
    .join('');
}
