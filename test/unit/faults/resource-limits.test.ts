import { describe, expect, it } from 'vitest';
import type { ResourceLimits } from '../../../src/engine/ports.js';
import { InternalError, ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { UNLIMITED_MEMORY } from '../../../src/faults/mechanisms/limit-updates.js';
import { resourceLimits, type ResourceLimitsSpec } from '../../../src/faults/resource-limits.js';
import { FakeEngine } from '../../support/fake-engine.js';

const MiB = 1024 * 1024;
const NONE: ResourceLimits = { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, cpuShares: 0, memory: 0, memorySwap: 0, memoryReservation: 0 };

function setup(resources: Partial<ResourceLimits> = {}, replicas = 1) {
  const engine = new FakeEngine(Array.from({ length: replicas }, () => ({ service: 'api', resources })));
  const ctx = { engine, signal: new AbortController().signal };
  const record = (input: Record<string, unknown>): FaultRecord<ResourceLimitsSpec> => {
    const spec = resourceLimits.schema.parse({ kind: 'resource-limits', service: 'api', ...input });
    return { ref: 'limits', kind: 'resource-limits', revertible: true, spec, targets: resourceLimits.targets(spec, engine.topology()) };
  };
  const planned = async (input: Record<string, unknown>) => {
    const unplanned = record(input);
    return (await resourceLimits.preflight!(unplanned, ctx)) ?? unplanned;
  };
  const id = engine.containersOf('api')[0]!.id;
  return { engine, ctx, record, planned, id };
}

describe('resourceLimits schema', () => {
  const parse = (input: Record<string, unknown>) => resourceLimits.schema.safeParse({ kind: 'resource-limits', service: 'api', ...input });

  it('takes cpus and/or a memory size in powers of 1024', () => {
    expect(parse({ cpus: 0.25, memory: '64m' }).data).toMatchObject({ cpus: 0.25, memory: 64 * MiB });
    expect(parse({ memory: '1.5g' }).data).toMatchObject({ memory: 1.5 * 1024 * MiB });
    expect(parse({ memory: '512MiB' }).data).toMatchObject({ memory: 512 * MiB });
  });

  it('refuses no limit at all, a size without unit, less than 6 MiB of memory, and fewer than 0.01 CPUs', () => {
    expect(parse({}).error?.issues[0]?.message).toBe('give `cpus`, `memory` or both');
    expect(parse({ memory: '64' }).error?.issues[0]?.message).toMatch(/expected a size such as "64m"/);
    expect(parse({ memory: '4m' }).error?.issues[0]?.message).toBe('must be between 6 MiB and 8192 TiB');
    expect(parse({ cpus: 0.001 }).success).toBe(false);
  });
});

describe('resourceLimits', () => {
  it('describes itself and plans each container with the exact fields it sends and restores', async () => {
    const { planned, record } = setup();
    expect(resourceLimits.describe(record({ cpus: 0.25, memory: '64m' }).spec)).toBe(
      'limit every container of service api to 0.25 CPUs and 64 MiB of memory',
    );
    expect(resourceLimits.plan(await planned({ cpus: 0.25, memory: '64m' }))).toEqual([
      {
        apply:
          'limit container demo-api-1 (service api) to 0.25 CPUs (CpuQuota 25000 per 100000 µs period) and 64 MiB of memory (67108864 bytes, swap unlimited)',
        revert:
          'set its limits back to no CPU limit and no memory limit ' +
          '(`docker update --cpu-quota -1 --memory 9223372036854771712 --memory-swap 9223372036854771712 demo-api-1` — `docker inspect` then shows ' +
          'CpuQuota -1 instead of 0, Memory 9223372036854771712 instead of 0, MemorySwap 9223372036854771712 instead of 0, the kernel\'s "no limit"), ' +
          'read them back, and start it if the kernel OOM-killed it under the limit (stopped or paused otherwise, it is left as it is)',
      },
    ]);
  });

  it('preflight records the limits before; inject limits through CpuQuota and keeps an unlimited swap unlimited', async () => {
    const { engine, ctx, planned, id } = setup();
    const record = await planned({ cpus: 0.25, memory: '64m' });
    expect(record.targets[0]!.before).toEqual({ limits: NONE, oomKilled: false });

    await resourceLimits.inject(record, ctx);

    expect(engine.callsTo('updateResources')).toEqual([[id, { cpuQuota: 25_000, memory: 64 * MiB, memorySwap: UNLIMITED_MEMORY }]]);
  });

  it('a container limited with NanoCpus is limited through NanoCpus; its swap allowance keeps its size', async () => {
    const { engine, ctx, planned, id } = setup({ nanoCpus: 500_000_000, memory: 256 * MiB, memorySwap: 512 * MiB });
    await resourceLimits.inject(await planned({ cpus: 0.25, memory: '64m' }), ctx);
    expect(engine.callsTo('updateResources')).toEqual([[id, { nanoCpus: 250_000_000, memory: 64 * MiB, memorySwap: 320 * MiB }]]);
  });

  it('a container with a CFS period of its own gets a quota for that period', async () => {
    const { engine, ctx, planned, id } = setup({ cpuQuota: 30_000, cpuPeriod: 50_000 });
    await resourceLimits.inject(await planned({ cpus: 0.2 }), ctx);
    expect(engine.callsTo('updateResources')).toEqual([[id, { cpuQuota: 10_000 }]]);
  });

  it('revert puts back exactly what was there and checks it by reading it back', async () => {
    const before = { nanoCpus: 500_000_000, memory: 256 * MiB, memorySwap: 512 * MiB, memoryReservation: 32 * MiB };
    const { engine, ctx, planned, id } = setup(before);
    const record = await planned({ cpus: 0.25, memory: '64m' });
    await resourceLimits.inject(record, ctx);

    const result = await resourceLimits.revert(record, ctx);

    expect(result).toEqual({
      verified: true,
      done: [
        'set the limits of demo-api-1 back to 0.5 CPUs (NanoCpus 500000000) and 256 MiB of memory (268435456 bytes, memory+swap 512 MiB) ' +
          '(NanoCpus 500000000, Memory 268435456, MemorySwap 536870912)',
        'demo-api-1 was running',
      ],
      problems: [],
      manual: [],
    });
    expect(await engine.inspectResources(id)).toEqual({ ...NONE, ...before });
  });

  it("no limit comes back as CpuQuota -1 and the kernel's unlimited memory, the only way the engine can write it, and the revert says so", async () => {
    const { engine, ctx, planned, id } = setup();
    const record = await planned({ cpus: 1, memory: '64m' });
    await resourceLimits.inject(record, ctx);
    const result = await resourceLimits.revert(record, ctx);
    // The inject already made the swap limit unlimited, so only Memory is sent back.
    expect(engine.callsTo('updateResources')[1]).toEqual([id, { cpuQuota: -1, memory: UNLIMITED_MEMORY }]);
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done).toEqual([
      'set the limits of demo-api-1 back to no CPU limit and no memory limit (CpuQuota -1, Memory 9223372036854771712)',
      'HostConfig of demo-api-1 now shows CpuQuota -1 instead of 0, Memory 9223372036854771712 instead of 0, MemorySwap 9223372036854771712 instead of 0: ' +
        'the engine cannot write "unset" back, so "no limit" is the kernel\'s own no-limit value; the limits in force are as before',
      'demo-api-1 was running',
    ]);
  });

  it('starts a container the kernel OOM-killed under the memory limit', async () => {
    const { engine, ctx, planned, id } = setup({ memory: 256 * MiB, memorySwap: 512 * MiB });
    const record = await planned({ memory: '16m' });
    await resourceLimits.inject(record, ctx);
    await engine.kill(id, 'SIGKILL');
    engine.setState(id, { oomKilled: true });

    const result = await resourceLimits.revert(record, ctx);

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done.at(-1)).toBe("started demo-api-1 (it was exited: the kernel OOM-killed it under this fault's memory limit)");
    expect(engine.container(id).status).toBe('running');
  });

  it('leaves a container stopped or paused otherwise as found: a newer fault may still hold it', async () => {
    const { engine, ctx, planned } = setup({}, 3);
    const [stopped, paused, oomBefore] = engine.containersOf('api').map((c) => c.id) as [string, string, string];
    engine.setState(oomBefore, { oomKilled: true }); // an OOM kill before the drill: Engine 20.10 keeps the flag
    const record = await planned({ memory: '64m' });
    await resourceLimits.inject(record, ctx);
    await engine.stop(stopped); // as a newer `service` stop fault would
    await engine.pause(paused); // as a newer `service` pause fault would
    await engine.kill(oomBefore, 'SIGKILL');

    const result = await resourceLimits.revert(record, ctx);

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done.filter((line) => / is (exited|paused), /.test(line))).toEqual([
      `demo-api-1 is exited, and not by an OOM kill under this fault's memory limit (another fault may have stopped it): left as it is (\`docker start ${stopped}\` starts it)`,
      `demo-api-2 is paused, not by this fault (it changes limits and never pauses): left paused (\`docker unpause ${paused}\` resumes it)`,
      `demo-api-3 is exited, and the engine had reported an OOM kill in it before the drill already, so whether this fault's memory limit stopped it cannot be told: left as it is (\`docker start ${oomBefore}\` starts it)`,
    ]);
    expect(engine.callsTo('start')).toEqual([]);
    expect(engine.callsTo('unpause')).toEqual([]);
    expect(engine.containersOf('api').map((c) => c.resources.memory)).toEqual([UNLIMITED_MEMORY, UNLIMITED_MEMORY, UNLIMITED_MEMORY]);
  });

  it('a CPU limit stops no container: an exited one is left as it is', async () => {
    const { engine, ctx, planned, id } = setup();
    const record = await planned({ cpus: 0.5 });
    await resourceLimits.inject(record, ctx);
    await engine.kill(id, 'SIGKILL');
    engine.setState(id, { oomKilled: true });
    const result = await resourceLimits.revert(record, ctx);
    expect(result.done.at(-1)).toMatch(/is exited, and a CPU limit stops no container .*: left as it is/);
    expect(engine.callsTo('start')).toEqual([]);
  });

  it('revert is idempotent: a second one, or one after an inject that never ran, changes nothing', async () => {
    const { engine, ctx, planned } = setup({ memory: 128 * MiB, memorySwap: -1 });
    const record = await planned({ memory: '64m' });
    const untouched = await resourceLimits.revert(record, ctx);
    expect(untouched).toMatchObject({
      verified: true,
      done: ['demo-api-1 had its limits as before (128 MiB of memory (134217728 bytes, swap unlimited))', 'demo-api-1 was running'],
    });
    await resourceLimits.inject(record, ctx);
    await resourceLimits.revert(record, ctx);
    expect(await resourceLimits.revert(record, ctx)).toMatchObject({ verified: true });
    expect(engine.callsTo('updateResources')).toHaveLength(2);
  });

  it('every container of the service is limited and restored', async () => {
    const { engine, ctx, planned } = setup({}, 3);
    const record = await planned({ cpus: 0.5 });
    await resourceLimits.inject(record, ctx);
    expect(engine.containersOf('api').map((c) => c.resources.cpuQuota)).toEqual([50_000, 50_000, 50_000]);
    expect(await resourceLimits.revert(record, ctx)).toMatchObject({ verified: true });
    expect(engine.containersOf('api').map((c) => c.resources.cpuQuota)).toEqual([-1, -1, -1]);
  });

  it('a failed restore is a problem with the docker update command that finishes the job', async () => {
    const { engine, ctx, planned, id } = setup({ nanoCpus: 2_000_000_000 });
    const record = await planned({ cpus: 0.5 });
    await resourceLimits.inject(record, ctx);
    engine.failNext('updateResources');

    const result = await resourceLimits.revert(record, ctx);

    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([
      'updateResources failed (scripted)',
      'the limits of demo-api-1 are 0.5 CPUs (NanoCpus 500000000), not 2 CPUs (NanoCpus 2000000000) as before the fault',
    ]);
    expect(result.manual).toEqual([`docker update --cpus 2 ${id}`]);
  });

  it('a container removed during the drill took its limits with it: recorded, verified', async () => {
    const { engine, ctx, planned, id } = setup();
    const record = await planned({ memory: '64m' });
    await resourceLimits.inject(record, ctx);
    engine.setState(id, { removed: true });
    expect(await resourceLimits.revert(record, ctx)).toEqual({
      verified: true,
      done: ['demo-api-1 no longer exists (removed or replaced during the drill); nothing of the fault can remain on it'],
      problems: [],
      manual: [],
    });
  });

  it('refuses at plan time a memory limit below the reservation and a quota below the kernel minimum', async () => {
    await expect(setup({ memoryReservation: 128 * MiB }).planned({ memory: '64m' })).rejects.toThrow(ScopeError);
    await expect(setup({ memoryReservation: 128 * MiB }).planned({ memory: '64m' })).rejects.toThrow(
      'container demo-api-1 (service api) reserves 128 MiB of memory (mem_reservation); the engine refuses a memory limit below that — choose a memory of at least 128 MiB',
    );
    await expect(setup({ cpuPeriod: 10_000 }).planned({ cpus: 0.05 })).rejects.toThrow(
      /quota of 500 µs, below the kernel's minimum of 1000 µs/,
    );
  });

  it('inject without preflight is a defect: revert would not know what to restore', async () => {
    const { ctx, record, engine } = setup();
    await expect(resourceLimits.inject(record({ cpus: 1 }), ctx)).rejects.toThrow(/preflight did not run/);
    await expect(resourceLimits.revert(record({ cpus: 1 }), ctx)).rejects.toThrow(InternalError);
    expect(engine.callsTo('updateResources')).toEqual([]);
  });
});
