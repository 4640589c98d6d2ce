import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { diskFill } from '../../../src/faults/disk-fill.js';
import { faultContext, useFixtureProjects, waitForStatus } from '../compose-project.js';
import { exitCodeOf, plannedRecord, sh } from './container-faults.js';

const projects = useFixtureProjects('container-faults', 1);

/** Used and available KiB of the 64 MiB tmpfs at /data in the store service, as df says. */
async function dataUsage(): Promise<{ used: number; available: number; percent: string }> {
  const main = projects()[0]!;
  const id = (await main.container('store')).id;
  const [, , used, available, percent] = (await sh(main.engine, id, 'df -P -k /data | tail -n 1')).split(/\s+/);
  return { used: Number(used), available: Number(available), percent: percent! };
}

describe('disk-fill against a real compose project', () => {
  const main = () => projects()[0]!;
  const store = async () => (await main().container('store')).id;

  it('size: writes one marked file of exactly that size; revert removes it and the space is free again', async () => {
    const before = await dataUsage();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '10m' }, main());
    const file = `/data/.firedrill-fill-test-${record.targets[0]!.containerId.slice(0, 12)}`;
    expect(record.targets[0]!.before).toMatchObject({ file, kib: 10_240, tool: 'fallocate', usage: { mount: '/data', type: 'tmpfs', totalKiB: 65_536 } });
    expect(diskFill.plan(record)[0]!.apply).toContain(`write 10 MiB (10485760 bytes, with fallocate) to ${file}`);

    await diskFill.inject(record, faultContext(main().engine));

    expect(await sh(main().engine, await store(), `stat -c %s ${file}`)).toBe('10485760');
    expect((await dataUsage()).used).toBe(before.used + 10_240);
    const result = await diskFill.revert(record, faultContext(main().engine));
    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done.at(-1)).toMatch(new RegExp(`^removed ${file} from .*; /data is 0% used \\(0% before the fault\\)$`));
    expect(await exitCodeOf(main().engine, await store(), `test -e ${file}`)).toBe(1);
    expect(await dataUsage()).toEqual(before);
  });

  it('with dd instead of fallocate (an image without util-linux), the file has exactly the same size', async () => {
    const before = await dataUsage();
    const planned = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '3000k' }, main());
    const target = planned.targets[0]!;
    const record = { ...planned, targets: [{ ...target, before: { ...target.before, tool: 'dd' } }] };
    const file = (target.before as { file: string }).file;

    await diskFill.inject(record, faultContext(main().engine));

    expect(await sh(main().engine, await store(), `stat -c %s ${file}`)).toBe(String(3000 * 1024));
    expect((await dataUsage()).used).toBe(before.used + 3000);
    expect(await diskFill.revert(record, faultContext(main().engine))).toMatchObject({ verified: true });
    expect(await dataUsage()).toEqual(before);
  });

  it('percent: fills the filesystem until df says it is that full', async () => {
    const before = await dataUsage();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data/', percent: 75 }, main());

    await diskFill.inject(record, faultContext(main().engine));

    const during = await dataUsage();
    expect(during.percent).toBe('75%');
    expect(during.used).toBe(Math.ceil((before.used + before.available) * 0.75));
    expect(await diskFill.revert(record, faultContext(main().engine))).toMatchObject({ verified: true, problems: [] });
    expect(await dataUsage()).toEqual(before);
  });

  it('percent 100 leaves no byte free, so writes fail in the container; revert frees it all', async () => {
    const before = await dataUsage();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', percent: 100 }, main());
    await diskFill.inject(record, faultContext(main().engine));

    expect((await dataUsage()).available).toBe(0);
    expect(await exitCodeOf(main().engine, await store(), 'echo more > /data/app.log')).not.toBe(0);

    expect(await diskFill.revert(record, faultContext(main().engine))).toMatchObject({ verified: true });
    await sh(main().engine, await store(), 'rm -f /data/app.log');
    expect(await dataUsage()).toEqual(before);
  });

  it('refuses at plan time: a percent already reached, more than maxBytes, more than is free, a missing path', async () => {
    const id = await store();
    await sh(main().engine, id, 'fallocate -l 40m /data/app-data');
    try {
      const plan = (input: Record<string, unknown>) => plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', ...input }, main());
      await expect(plan({ path: '/data', percent: 50 })).rejects.toThrow(/62\.5% used\) is already at or above 50%/);
      await expect(plan({ path: '/data', size: '20m', maxBytes: '16m' })).rejects.toThrow(/writing 20 MiB, more than maxBytes \(16 MiB\)/);
      await expect(plan({ path: '/data', size: '30m' })).rejects.toThrow(/has room for less than 30 MiB/);
      await expect(plan({ path: '/nowhere', size: '1m' })).rejects.toThrow(ScopeError);
      await expect(plan({ path: '/nowhere', size: '1m' })).rejects.toThrow(/\/nowhere is not a directory/);
    } finally {
      await sh(main().engine, id, 'rm -f /data/app-data');
    }
    expect(await sh(main().engine, id, 'ls -A /data | wc -l')).toBe('0');
  });

  it('the root filesystem is usually the host disk: percent is refused beyond the default cap of 1 GiB', async () => {
    const planning = plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/tmp', percent: 100 }, main());
    await expect(planning).rejects.toThrow(/more than maxBytes \(1 GiB\)/);
  });

  it('a container that stopped while full is started again and the file removed', async () => {
    const id = await store();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/tmp', size: '1m' }, main());
    const file = (record.targets[0]!.before as { file: string }).file;
    await diskFill.inject(record, faultContext(main().engine));
    await main().engine.stop(id, { timeoutSeconds: 1 });
    expect(await waitForStatus(main().engine, id, 'exited')).toBe('exited');

    const result = await diskFill.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done[0]).toBe(`started ${record.targets[0]!.name} (it was exited)`);
    expect(await exitCodeOf(main().engine, id, `test -e ${file}`)).toBe(1);
  });
});
