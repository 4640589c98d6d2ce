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
    expect(record.targets[0]!.before).toMatchObject({
      file,
      kib: 10_240,
      tool: 'fallocate',
      usage: { mount: '/data', type: 'tmpfs', totalKiB: 65_536 },
    });
    expect(diskFill.plan(record)[0]).toMatchObject({
      apply: expect.stringContaining(`write 10 MiB (10485760 bytes) to ${file} in container`),
      measured: expect.stringMatching(
        /^its tmpfs filesystem at \/data is 0% used \(64 MiB free of 64 MiB\): 10 MiB \(10485760 bytes\) to write with fallocate/,
      ),
    });

    await diskFill.inject(record, faultContext(main().engine));

    expect(await sh(main().engine, await store(), `stat -c %s ${file}`)).toBe('10485760');
    expect((await dataUsage()).used).toBe(before.used + 10_240);
    expect(await exitCodeOf(main().engine, await store(), `test -e ${file}.writer`)).toBe(1); // the writer is done, and said so
    const result = await diskFill.revert(record, faultContext(main().engine));
    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([expect.stringMatching(new RegExp(`^removed ${file} from .*, and it stayed gone; /data is now 0% used$`))]);
    expect(await exitCodeOf(main().engine, await store(), `test -e ${file}`)).toBe(1);
    expect(await dataUsage()).toEqual(before);
  });

  it('a writer still at work when revert runs (its inject aborted) is stopped first: the file does not come back', async () => {
    const id = await store();
    const before = await dataUsage();
    const planned = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '60m' }, main());
    const target = planned.targets[0]!;
    const record = { ...planned, targets: [{ ...target, before: { ...target.before, tool: 'dd' } }] };
    const file = (target.before as { file: string }).file;
    // Freezes dd (SIGSTOP) as soon as it starts, so that the revert surely finds it mid-write.
    const freezing = 'touch /tmp/freezing; for i in $(seq 5000); do pkill -STOP -x dd && exit 0; done; exit 1';
    const freezer = main().engine.exec(id, ['sh', '-c', freezing], { timeoutMs: 30_000 });
    await sh(main().engine, id, 'for i in $(seq 100); do [ -e /tmp/freezing ] && exit 0; sleep 0.05; done; exit 1');
    const stopCondition = new AbortController();
    const injecting = diskFill.inject(record, { engine: main().engine, signal: stopCondition.signal });
    expect((await freezer).exitCode).toBe(0);
    stopCondition.abort(new Error('a stop condition breached'));
    await expect(injecting).rejects.toThrow('a stop condition breached');
    expect(await exitCodeOf(main().engine, id, 'pgrep -x dd')).toBe(0); // Docker left the exec'd writer running

    const result = await diskFill.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [] });
    // Had it only been frozen, it would write on once resumed, and a second dd would create the file anew.
    await sh(main().engine, id, 'pkill -CONT -x dd; sleep 0.5');
    expect(await exitCodeOf(main().engine, id, `test -e ${file} || test -e ${file}.writer`)).toBe(1);
    expect(await exitCodeOf(main().engine, id, 'pgrep -x dd')).toBe(1);
    expect(await dataUsage()).toEqual(before);
    expect(result.done[0]).toMatch(/^stopped the fill's writer, still at work: .*dd \(PID \d+\)/);
    await sh(main().engine, id, 'rm /tmp/freezing');
  });

  it('the application writing more than the fill meanwhile does not fail the revert: it observes the file, not df', async () => {
    const id = await store();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '4m' }, main());
    await diskFill.inject(record, faultContext(main().engine));
    await sh(main().engine, id, 'head -c 8388608 /dev/zero > /data/app.log');
    try {
      const result = await diskFill.revert(record, faultContext(main().engine));
      expect(result).toMatchObject({ verified: true, problems: [] });
      expect(result.done.at(-1)).toMatch(/stayed gone; \/data is now 12\.5% used$/);
    } finally {
      await sh(main().engine, id, 'rm -f /data/app.log');
    }
  });

  it('another process holding the removed file open keeps its space: a problem naming it, until it lets go', async () => {
    const id = await store();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '5m' }, main());
    const file = (record.targets[0]!.before as { file: string }).file;
    await diskFill.inject(record, faultContext(main().engine));
    await sh(main().engine, id, `sleep 1000004 < ${file} > /dev/null 2>&1 &`);
    try {
      const result = await diskFill.revert(record, faultContext(main().engine));
      expect(result.verified).toBe(false);
      expect(result.problems).toEqual([
        expect.stringMatching(new RegExp(`^the removed ${file} is still held open in .* by sleep \\(PID \\d+\\): its 5 MiB are not free`)),
      ]);
      expect(await exitCodeOf(main().engine, id, `test -e ${file}`)).toBe(1);
    } finally {
      await sh(main().engine, id, 'pkill -f "^sleep 1000004$"; sleep 0.3');
    }
    expect(await diskFill.revert(record, faultContext(main().engine))).toMatchObject({ verified: true, problems: [] });
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

  it('a container stopped meanwhile is started only to remove the file, then stopped again as it was found', async () => {
    const id = await store();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/tmp', size: '1m' }, main());
    const file = (record.targets[0]!.before as { file: string }).file;
    await diskFill.inject(record, faultContext(main().engine));
    await main().engine.stop(id, { timeoutSeconds: 1 });
    expect(await waitForStatus(main().engine, id, 'exited')).toBe('exited');

    const result = await diskFill.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done[0]).toBe(`started ${record.targets[0]!.name} only to remove ${file} (it was exited)`);
    expect(result.done.at(-1)).toMatch(/^stopped .* again, as it was found/);
    expect((await main().engine.inspectState(id)).status).toBe('exited');
    await main().engine.start(id);
    expect(await exitCodeOf(main().engine, id, `test -e ${file}`)).toBe(1);
  });

  it('a paused container is not unpaused: the file stays until the person runs the commands given', async () => {
    const id = await store();
    const record = await plannedRecord(diskFill, { kind: 'disk-fill', service: 'store', path: '/data', size: '1m' }, main());
    const file = (record.targets[0]!.before as { file: string }).file;
    await diskFill.inject(record, faultContext(main().engine));
    await main().engine.pause(id);
    try {
      const result = await diskFill.revert(record, faultContext(main().engine));
      expect(result.verified).toBe(false);
      expect(result.manual).toEqual([
        `docker unpause ${id}`,
        `docker exec ${id} rm -f -- ${file} ${file}.writer`,
        `docker pause ${id}  # if it should stay paused`,
      ]);
      expect((await main().engine.inspectState(id)).status).toBe('paused');
    } finally {
      await main().engine.unpause(id);
    }
    expect(await exitCodeOf(main().engine, id, `test -e ${file}`)).toBe(0);
    expect(await diskFill.revert(record, faultContext(main().engine))).toMatchObject({ verified: true });
  });
});
