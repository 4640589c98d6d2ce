/**
 * "Did you mean …?" suggestions for names people mistype in playbooks: keys, kinds,
 * enum values, fault ids, services and regions.
 */

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring characters (so "stpes" is one edit away from "steps").
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still count as a typo: one for short names, about a third of longer ones. */
function tolerance(input: string, candidate: string): number {
  return Math.max(1, Math.floor(Math.max(input.length, candidate.length) / 3));
}

/**
 * The candidate closest to `input` (ignoring case), or undefined when none is close
 * enough to be a plausible typo. Ties go to the candidate listed first. Failing that, the
 * one candidate that starts with the input ("cache" → "cache-eu") is taken.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === input) continue;
    const distance = editDistance(wanted, name.toLowerCase());
    if (distance > tolerance(input, name)) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name ?? onlyExtensionOf(wanted, candidates);
}

function onlyExtensionOf(wanted: string, candidates: readonly string[]): string | undefined {
  if (wanted.length < 3) return undefined;
  const extensions = candidates.filter((name) => name.toLowerCase().startsWith(wanted) && name.length > wanted.length);
  return extensions.length === 1 ? extensions[0] : undefined;
}

/** A hint such as `did you mean "steps"?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const match = closestMatch(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** Names as a readable list for messages: `"a", "b" and "c"` (or `… or "c"`), or "none". */
export function listNames(names: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (names.length === 0) return 'none';
  return joinWords(names.map((name) => `"${name}"`), conjunction);
}

/** Words as a list in a sentence, unquoted: "a, b and c" (or "… or c"); "" for none. */
export function joinWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}
