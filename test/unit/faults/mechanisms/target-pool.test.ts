import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../../src/faults/mechanisms/target-pool.js';

describe('mapBounded (per-target preflight work)', () => {
  it('runs at most `limit` at a time and keeps the results in order', async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const work = mapBounded(
      [1, 2, 3, 4, 5, 6, 7],
      async (n) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
        return n * 10;
      },
      3,
    );
    // Release in reverse order of arrival, round after round: the results still follow the items.
    while (gates.length > 0 || running > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      gates
        .splice(0)
        .reverse()
        .forEach((open) => open());
    }
    expect(await work).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it('throws the failure of the first failing item in order, whichever failed first in time, and starts no more', async () => {
    const started: number[] = [];
    const outcome = mapBounded(
      [0, 1, 2, 3, 4, 5],
      async (n) => {
        started.push(n);
        if (n === 1) await new Promise((resolve) => setTimeout(resolve, 20));
        if (n === 1 || n === 2) throw new Error(`item ${n} failed`);
        return n;
      },
      3,
    );
    await expect(outcome).rejects.toThrow('item 1 failed');
    expect(started).not.toContain(5);
  });
});
