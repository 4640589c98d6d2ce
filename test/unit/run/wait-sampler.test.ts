import { describe, expect, it } from 'vitest';
import { playbookSchema } from '../../../src/playbook/schema.js';
import type { DrillContext } from '../../../src/run/drill-context.js';
import { EventBus } from '../../../src/run/event-bus.js';
import { WaitSampler } from '../../../src/run/steps/wait-sampler.js';
import { discoverTopology } from '../../../src/topology/discover.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

const spec = playbookSchema.parse({
  name: 'sampled',
  title: 'Sampled',
  summary: 'One wait.',
  topology: { project: 'shop' },
  steps: [{ name: 'db answers', wait: { probe: { kind: 'exec', service: 'db', command: ['check'] }, every: '250ms' } }],
}).steps[0]!.wait!;

/** A context with only what a sampler reads: an engine whose probe always fails, a fake clock and a bus. */
async function samplingContext() {
  const clock = new FakeClock();
  const engine = new FakeEngine([{ service: 'db', project: 'shop', status: 'running' }], { project: 'shop' });
  engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: 'connection refused' }));
  const topology = await discoverTopology(engine, { project: 'shop', regionLabel: 'firedrill.region' });
  const bus = new EventBus(clock);
  return { ctx: { engine, clock, bus, topology } as unknown as DrillContext, bus, clock };
}

describe('a wait sampler in the background', () => {
  it('keeps a failure to itself until its step or its section reads it', async () => {
    const { ctx, bus } = await samplingContext();
    // The journal cannot take the third sample.
    bus.subscribe((event) => {
      if (event.type === 'probe.sample' && event.data.sample === 3) throw new Error('disk full');
    });
    const sampler = new WaitSampler(ctx, { section: 'steps', index: 2 }, spec, undefined, new AbortController().signal);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(sampler.settle(0n)).rejects.toThrow('disk full');
      await expect(sampler.stop()).resolves.toBeUndefined();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('ends when stopped, with no sample after', async () => {
    const { ctx, bus, clock } = await samplingContext();
    const samples: bigint[] = [];
    bus.subscribe((event) => event.type === 'probe.sample' && samples.push(event.monoNs));
    const sampler = new WaitSampler(ctx, { section: 'steps', index: 2 }, spec, undefined, new AbortController().signal);
    await clock.sleep(1100);
    await sampler.stop();
    const taken = samples.length;
    await clock.sleep(1000);
    expect(taken).toBe(5);
    expect(samples).toHaveLength(taken);
  });
});
