import { describe, expect, it } from 'vitest';
import { SampleLane } from '../../../src/probes/sample-lane.js';

/** One turn of the event loop: what setImmediate queued before it has run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('a sample lane', () => {
  it('lets a few samples start in a turn and the rest in the turns after, in the order they came', async () => {
    const lane = new SampleLane(3);
    const started: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const held = lane.turn();
      if (held) void held.then(() => started.push(i));
      else started.push(i);
    }
    expect(started).toEqual([0, 1, 2]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('holds nothing back when no more samples come due in a turn than it lets through', async () => {
    const lane = new SampleLane(3);
    for (let round = 0; round < 3; round += 1) {
      expect([lane.turn(), lane.turn(), lane.turn()]).toEqual([undefined, undefined, undefined]);
      await nextTurn();
    }
  });
});
