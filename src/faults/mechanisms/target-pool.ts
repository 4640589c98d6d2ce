/**
 * Per-target work at plan time (preflight) runs a few targets at a time: each may start a
 * throw-away helper container, and one after another a partition of 100 containers took
 * 40 s to plan. The bound keeps the engine from being asked for hundreds of containers at once.
 * (An engine may still start them one at a time: network namespaces are therefore read from
 * one helper for all targets where the engine allows it, namespace-inspector.ts.)
 */
export const PREFLIGHT_PARALLELISM = 8;

/**
 * Runs `work` on every item, at most `limit` at a time, and resolves with the results in the
 * items' order. When any fails, the others already started finish (no helper is cut off
 * mid-way), none is started after, and the failure of the FIRST failing item in order is
 * thrown, so that which error a person sees does not depend on timing.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  limit = PREFLIGHT_PARALLELISM,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const failures = new Map<number, unknown>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && failures.size === 0) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failures.set(index, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return results;
}
