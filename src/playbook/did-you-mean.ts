import { quoted } from '../words/input-text.js';

/**
 * "Did you mean …?" suggestions for names people mistype in playbooks: keys, kinds,
 * enum values, fault ids, services and regions.
 */

/** Names longer than this are not typos of anything: comparing them would cost length². */
const MAX_COMPARED_LENGTH = 100;

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring characters (so "stpes" is one edit away from "steps"). With `limit`, it
 * stops as soon as the distance must exceed it and answers limit + 1: comparing an unknown
 * key with every allowed key, 50,000 times over, must stay cheap.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  const rows = workRows(width);
  let [before, previous, current] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowBest) rowBest = best;
    }
    // No later cell can come under this row's smallest value (a swap reaches back a row, to
    // values at most one smaller, and adds one), so past the limit nothing can come back.
    if (rowBest > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, limit + 1);
}

/** Three rows of the distance table, reused from call to call. */
let rowsInUse: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
function workRows(width: number): [Int32Array, Int32Array, Int32Array] {
  if (rowsInUse[0].length < width) rowsInUse = [new Int32Array(width * 2), new Int32Array(width * 2), new Int32Array(width * 2)];
  return rowsInUse;
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
  if (input.length > MAX_COMPARED_LENGTH) return undefined;
  const wanted = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === input || name.length > MAX_COMPARED_LENGTH) continue;
    // Lengths further apart than the tolerance cannot be within it.
    if (Math.abs(name.length - input.length) > tolerance(input, name)) continue;
    const distance = editDistance(wanted, name.toLowerCase(), tolerance(input, name));
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
  return match === undefined ? undefined : `did you mean ${quoted(match)}?`;
}

/** Lists longer than this name their first few and count the rest. */
const MAX_LISTED = 12;

/**
 * Names as a readable list for messages: `"a", "b" and "c"` (or `… or "c"`), or "none";
 * a long list ends `"a", "b", … and 99,990 more`.
 */
export function listNames(names: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (names.length === 0) return 'none';
  if (names.length > MAX_LISTED) {
    const shown = names.slice(0, MAX_LISTED - 2).map((name) => quoted(name));
    return `${shown.join(', ')} ${conjunction} ${(names.length - shown.length).toLocaleString('en')} more`;
  }
  return joinWords(
    names.map((name) => quoted(name)),
    conjunction,
  );
}

/** Words as a list in a sentence, unquoted: "a, b and c" (or "… or c"); "" for none. */
export function joinWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}
