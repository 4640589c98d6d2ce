import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/ports.js';
import { ScopeError } from '../../../src/errors.js';
import { UNLIMITED_MEMORY } from '../../../src/faults/mechanisms/limit-updates.js';
import { resourceLimits } from '../../../src/faults/resource-limits.js';
import { faultContext, useFixtureProjects, waitForStatus } from '../compose-project.js';
import { plannedRecord, sh } from './container-faults.js';

const projects = useFixtureProjects('container-faults', 1);

/**
 * The limits the kernel enforces, read from the container's own cgroup files (v1 or v2):
 * memory limit, memory+swap (v1) or swap (v2) limit, CFS quota and period.
 */
interface KernelLimits {
  memory: string;
  swap: string;
  quota: string;
  period: string;
}

const READ_CGROUP = [
  'cd /sys/fs/cgroup',
  'if [ -f memory.max ]; then',
  '  echo "$(cat memory.max) $(cat memory.swap.max 2>/dev/null || echo none) $(cat cpu.max)"',
  'else',
  '  echo "$(cat memory/memory.limit_in_bytes) $(cat memory/memory.memsw.limit_in_bytes 2>/dev/null || echo none) $(cat cpu/cpu.cfs_quota_us) $(cat cpu/cpu.cfs_period_us)"',
  'fi',
].join('\n');

async function kernelLimits(engine: Engine, containerId: string): Promise<KernelLimits> {
  const [memory = '', swap = '', quota = '', period = ''] = (await sh(engine, containerId, READ_CGROUP)).split(/\s+/);
  return { memory, swap, quota, period };
}

/**
 * "No limit" as the kernel shows it: "max" on v2, 2^63 - 4096 (or -1 for the quota) on v1.
 * On cgroup v2 a swap limit once set cannot be set back to "max" through the engine's update
 * API (it drops MemorySwap -1), so there an unlimited swap may come back as a huge number.
 */
function normalised(limits: KernelLimits): KernelLimits {
  const unlimited = (value: string) => (value === 'max' || value === '-1' || Number(value) >= 2 ** 62 ? 'unlimited' : value);
  return { memory: unlimited(limits.memory), swap: unlimited(limits.swap), quota: unlimited(limits.quota), period: limits.period };
}

const MiB = 1024 * 1024;

describe('resource-limits against a real compose project', () => {
  const main = () => projects()[0]!;

  it('a container without limits gets 0.25 CPUs and 64 MiB, then exactly no limit again', async () => {
    const id = (await main().container('free')).id;
    const kernelBefore = await kernelLimits(main().engine, id);
    expect(normalised(kernelBefore)).toMatchObject({ memory: 'unlimited', quota: 'unlimited' });
    const record = await plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'free', cpus: 0.25, memory: '64m' }, main());
    expect(record.targets[0]!.before).toEqual({
      limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, cpuShares: 0, memory: 0, memorySwap: 0, memoryReservation: 0 },
      oomKilled: false,
    });

    await resourceLimits.inject(record, faultContext(main().engine));

    const during = await kernelLimits(main().engine, id);
    expect(Number(during.memory)).toBe(64 * MiB);
    expect(Number(during.quota) / Number(during.period)).toBe(0.25);
    expect(await main().engine.inspectResources(id)).toMatchObject({ cpuQuota: 25_000, memory: 64 * MiB, memorySwap: UNLIMITED_MEMORY });

    const result = await resourceLimits.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done[0]).toMatch(/^set the limits of .* back to no CPU limit and no memory limit/);
    expect(result.done[1]).toMatch(
      /^HostConfig of .* now shows CpuQuota -1 instead of 0, Memory 9223372036854771712 instead of 0, MemorySwap 9223372036854771712 instead of 0: .*the limits in force are as before$/,
    );
    const after = await kernelLimits(main().engine, id);
    expect(normalised(after)).toEqual(normalised(kernelBefore));
    expect({ memory: after.memory, quota: after.quota, period: after.period }).toEqual({
      memory: kernelBefore.memory,
      quota: kernelBefore.quota,
      period: kernelBefore.period,
    });
    // What the engine shows instead of 0, which its update API cannot write back.
    expect(await main().engine.inspectResources(id)).toMatchObject({ nanoCpus: 0, cpuQuota: -1, memory: UNLIMITED_MEMORY });
    expect((await main().engine.inspectState(id)).status).toBe('running');
  });

  it('a container limited by compose (cpus, mem_limit, memswap_limit) gets every value back exactly', async () => {
    const id = (await main().container('capped')).id;
    const engineBefore = await main().engine.inspectResources(id);
    const kernelBefore = await kernelLimits(main().engine, id);
    expect(engineBefore).toMatchObject({ nanoCpus: 500_000_000, memory: 256 * MiB, memorySwap: 512 * MiB, memoryReservation: 32 * MiB });
    const record = await plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'capped', cpus: 0.25, memory: '64m' }, main());

    await resourceLimits.inject(record, faultContext(main().engine));

    const during = await kernelLimits(main().engine, id);
    expect(Number(during.memory)).toBe(64 * MiB);
    expect(Number(during.quota) / Number(during.period)).toBe(0.25);
    // The 256 MiB swap allowance is kept: memory+swap 64 + 256 MiB.
    expect(await main().engine.inspectResources(id)).toEqual({
      ...engineBefore,
      nanoCpus: 250_000_000,
      memory: 64 * MiB,
      memorySwap: 320 * MiB,
    });

    const result = await resourceLimits.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(await main().engine.inspectResources(id)).toEqual(engineBefore);
    expect(await kernelLimits(main().engine, id)).toEqual(kernelBefore);

    const again = await resourceLimits.revert(record, faultContext(main().engine));
    expect(again).toMatchObject({ verified: true });
    expect(again.done[0]).toMatch(/had its limits as before/);
  });

  it('a container limited by cpu_quota and cpu_period is limited through the quota, with its own period', async () => {
    const id = (await main().container('quota')).id;
    const engineBefore = await main().engine.inspectResources(id);
    const kernelBefore = await kernelLimits(main().engine, id);
    expect(engineBefore).toMatchObject({ cpuQuota: 30_000, cpuPeriod: 50_000, nanoCpus: 0 });
    const record = await plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'quota', cpus: 0.2 }, main());

    await resourceLimits.inject(record, faultContext(main().engine));

    const during = await kernelLimits(main().engine, id);
    expect([Number(during.quota), Number(during.period)]).toEqual([10_000, 50_000]);
    expect(during.memory).toBe(kernelBefore.memory);

    expect(await resourceLimits.revert(record, faultContext(main().engine))).toMatchObject({ verified: true, problems: [] });
    expect(await main().engine.inspectResources(id)).toEqual(engineBefore);
    expect(await kernelLimits(main().engine, id)).toEqual(kernelBefore);
  });

  it('a container the kernel OOM-killed under the memory limit gets its limits back and is started again', async () => {
    const id = (await main().container('hungry')).id;
    const record = await plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'hungry', memory: '32m' }, main());
    expect(record.targets[0]!.before).toMatchObject({ oomKilled: false });
    await resourceLimits.inject(record, faultContext(main().engine));
    // No swap either, so that the kernel kills rather than pages out on a host that has swap.
    await main().engine.updateResources(id, { memorySwap: 32 * MiB });
    await sh(main().engine, id, 'touch /run/grow'); // its main process now takes 200 MB
    expect(await waitForStatus(main().engine, id, 'exited')).toBe('exited');
    expect(await main().engine.inspectState(id)).toMatchObject({ oomKilled: true });

    const result = await resourceLimits.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done).toContain(
      `started ${record.targets[0]!.name} (it was exited: the kernel OOM-killed it under this fault's memory limit)`,
    );
    expect((await main().engine.inspectState(id)).status).toBe('running');
    expect(normalised(await kernelLimits(main().engine, id)).memory).toBe('unlimited');
  });

  it('a container stopped otherwise (a newer fault, a person) gets its limits back and is left stopped', async () => {
    const id = (await main().container('free')).id;
    const record = await plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'free', memory: '32m' }, main());
    await resourceLimits.inject(record, faultContext(main().engine));
    await main().engine.kill(id, 'SIGKILL');
    expect(await waitForStatus(main().engine, id, 'exited')).toBe('exited');

    const result = await resourceLimits.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done.at(-1)).toMatch(/is exited, and not by an OOM kill under this fault's memory limit .*: left as it is/);
    expect((await main().engine.inspectState(id)).status).toBe('exited');
    expect((await main().engine.inspectResources(id)).memory).toBe(UNLIMITED_MEMORY);
    await main().engine.start(id);
  });

  it("refuses at plan time a memory limit below the container's reservation, touching nothing", async () => {
    const id = (await main().container('capped')).id;
    const before = await main().engine.inspectResources(id);
    const planning = plannedRecord(resourceLimits, { kind: 'resource-limits', service: 'capped', memory: '16m' }, main());
    await expect(planning).rejects.toThrow(ScopeError);
    await expect(planning).rejects.toThrow(/reserves 32 MiB of memory/);
    expect(await main().engine.inspectResources(id)).toEqual(before);
  });
});
