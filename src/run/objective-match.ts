/**
 * Which objective of one run is which objective of another. A drill-wide objective is the same
 * when it has the same name ("overall recovery time"); a step's objective is the same when its
 * step has the same name at the same index, or else the same name elsewhere (a step was inserted
 * before it). A renamed step is a
 * different objective: its old one is gone and its new one is new, which is what a reader can check.
 */

export interface ObjectiveKey {
  scope: 'drill' | 'step';
  /** Step index for a step objective (null or absent for the drill's). */
  index?: number | null | undefined;
  name: string;
}

/** Pairs in the current run's order, then the baseline's objectives that have no match. */
export type ObjectivePair<B, C> = { baseline: B; current: C } | { baseline: B; current: null } | { baseline: null; current: C };

export function matchObjectives<B extends ObjectiveKey, C extends ObjectiveKey>(
  baseline: readonly B[],
  current: readonly C[],
): ObjectivePair<B, C>[] {
  const unmatched = new Set(baseline);
  const take = (found: B | undefined): B | undefined => {
    if (found !== undefined) unmatched.delete(found);
    return found;
  };
  const candidates = () => [...unmatched];
  const partner = new Map<C, B>();
  // Exact matches first, so that a name-only match never steals an objective that has its own.
  for (const c of current) {
    const exact = take(candidates().find((b) => b.scope === c.scope && b.name === c.name && (c.scope === 'drill' || sameIndex(b, c))));
    if (exact) partner.set(c, exact);
  }
  for (const c of current) {
    if (c.scope !== 'step' || partner.has(c)) continue;
    const byName = take(candidates().find((b) => b.scope === 'step' && b.name === c.name));
    if (byName) partner.set(c, byName);
  }
  const pairs: ObjectivePair<B, C>[] = current.map((c) => {
    const b = partner.get(c);
    return b ? { baseline: b, current: c } : { baseline: null, current: c };
  });
  for (const b of baseline) if (unmatched.has(b)) pairs.push({ baseline: b, current: null });
  return pairs;
}

function sameIndex(a: ObjectiveKey, b: ObjectiveKey): boolean {
  return (a.index ?? null) === (b.index ?? null);
}
