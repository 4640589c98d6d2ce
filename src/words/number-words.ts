/**
 * Numbers in words, shared by messages, the terminal and the reports: one wording for counts,
 * decimals and rates everywhere firedrill prints them.
 */

/** "1 sample", "24 samples". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Text from toFixed without its trailing zeros: "2.50" → "2.5", "3.00" → "3"; "100" stays. */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A percentage as written: 20 → "20%", 12.5 → "12.5%". */
export function percent(pct: number): string {
  return `${trimZeros(pct.toFixed(4))}%`;
}

/** A configured rate as written: 0.2 → "20%", 0.125 → "12.5%". */
export function percentExact(rate: number): string {
  return percent(rate * 100);
}
