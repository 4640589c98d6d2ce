import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../src/engine/ports.js';
import { InternalError, ScopeError } from '../../../src/errors.js';
import { diskFill, type DiskFillSpec } from '../../../src/faults/disk-fill.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { FakeEngine } from '../../support/fake-engine.js';

const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '' });

interface Disk {
  mount: string;
  type: string;
  totalKiB: number;
  usedKiB: number;
  tool?: 'fallocate' | 'dd';
}

/**
 * A store service whose containers hold a filesystem the exec handler simulates: the preflight
 * script reports it, the fill script adds to it, the clean script takes the file away again and
 * reports what `cleanSays` holds (writers it stopped, other holders of the file), as the real
 * script does.
 */
function setup(disk: Disk = { mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 0 }) {
  const engine = new FakeEngine([{ service: 'store' }]);
  const ctx = { engine, signal: new AbortController().signal };
  const state = { ...disk, files: new Map<string, number>(), cleanSays: '' };
  const df = () =>
    `df ${state.type} ${state.totalKiB} ${state.usedKiB} ${state.totalKiB - state.usedKiB} 0% ${state.mount}\ntype ${state.type}\n`;
  engine.onExec((_id, command) => {
    const [, , , name, ...args] = command;
    if (name === 'firedrill-disk-check') return ok(`tool ${disk.tool ?? 'fallocate'}\n${df()}`);
    if (name === 'firedrill-disk-fill') {
      state.files.set(args[0]!, Number(args[1]));
      state.usedKiB += Number(args[1]);
      return ok('');
    }
    if (name === 'firedrill-disk-clean') {
      state.usedKiB -= state.files.get(args[1]!) ?? 0;
      state.files.delete(args[1]!);
      return ok(`${state.cleanSays}${df()}`);
    }
    throw new Error(`unexpected exec: ${command.join(' ')}`);
  });
  const record = (input: Record<string, unknown>): FaultRecord<DiskFillSpec> => {
    const spec = diskFill.schema.parse({ kind: 'disk-fill', service: 'store', path: '/data', ...input });
    return { ref: 'full', kind: 'disk-fill', revertible: true, spec, targets: diskFill.targets(spec, engine.topology()) };
  };
  const planned = async (input: Record<string, unknown>) => {
    const unplanned = record(input);
    return (await diskFill.preflight!(unplanned, ctx)) ?? unplanned;
  };
  const id = engine.containersOf('store')[0]!.id;
  return { engine, ctx, state, record, planned, id, file: `/data/.firedrill-fill-full-${id.slice(0, 12)}` };
}

describe('diskFill schema', () => {
  const parse = (input: Record<string, unknown>) =>
    diskFill.schema.safeParse({ kind: 'disk-fill', service: 'store', path: '/data', ...input });

  it('takes a size or a percent, and a cap of 1 GiB unless raised', () => {
    expect(parse({ size: '200m' }).data).toMatchObject({ size: 200 * 1024 * 1024, maxBytes: 1024 ** 3 });
    expect(parse({ percent: 90, maxBytes: '20g' }).data).toMatchObject({ percent: 90, maxBytes: 20 * 1024 ** 3 });
  });

  it('refuses both or neither, a relative path, and a percent outside (0, 100]', () => {
    expect(parse({}).error?.issues[0]?.message).toMatch(/give either `size`.*or `percent`/);
    expect(parse({ size: '1m', percent: 50 }).success).toBe(false);
    expect(parse({ size: '1m', path: 'data' }).error?.issues[0]?.message).toMatch(/absolute path/);
    expect(parse({ percent: 0 }).success).toBe(false);
    expect(parse({ percent: 101 }).success).toBe(false);
  });
});

describe('diskFill', () => {
  it('preflight measures the filesystem and journals the file, the amount and the tool; plan keeps the measurements apart', async () => {
    const { planned, file, engine, id } = setup({ mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 16_384 });
    const record = await planned({ percent: 75 });
    expect(engine.callsTo('exec')[0]).toEqual([id, ['sh', '-c', expect.any(String), 'firedrill-disk-check', '/data', file], 30_000]);
    expect(record.targets[0]!.before).toEqual({
      file,
      kib: 32_768,
      tool: 'fallocate',
      usage: { mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 16_384, availableKiB: 49_152 },
    });
    expect(diskFill.describe(record.spec)).toBe('fill the filesystem holding /data in every container of service store until 75% used');
    expect(diskFill.plan(record)).toEqual([
      {
        apply: `write to ${file} in container demo-store-1 (service store) until its filesystem is 75% used (at most 1 GiB)`,
        revert:
          `stop the writer if it is still at work, remove ${file}, and check that it stays gone and that no process holds it open ` +
          '(a stopped container is started for that and stopped again; a paused one is left paused, with the commands to finish)',
        measured:
          'its tmpfs filesystem at /data is 25% used (48 MiB free of 64 MiB): 32 MiB (33554432 bytes) to write with fallocate, to 75% used',
      },
    ]);
  });

  it('what the plan hashes (apply, revert) does not change when the filesystem does; what it measured does', async () => {
    const quiet = (await setup({ mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 1_000 }).planned({ size: '10m' })).targets;
    const busy = (await setup({ mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 9_999 }).planned({ size: '10m' })).targets;
    const plan = (targets: typeof quiet) => diskFill.plan({ ...setup().record({ size: '10m' }), targets });
    const [before, after] = [plan(quiet)[0]!, plan(busy)[0]!];
    expect({ apply: after.apply, revert: after.revert }).toEqual({ apply: before.apply, revert: before.revert });
    expect(before.apply).toMatch(/^write 10 MiB \(10485760 bytes\) to \/data\/\.firedrill-fill-full-/);
    expect(after.measured).not.toBe(before.measured);
  });

  it('inject writes the planned amount; revert removes exactly that file and sees that it stays gone', async () => {
    const { planned, ctx, state, file, engine } = setup();
    const record = await planned({ size: '10m' });
    await diskFill.inject(record, ctx);
    expect(engine.callsTo('exec')[1]![1]).toEqual(['sh', '-c', expect.any(String), 'firedrill-disk-fill', file, '10240', 'fallocate']);
    expect(state.usedKiB).toBe(10_240);

    const result = await diskFill.revert(record, ctx);

    expect(engine.callsTo('exec')[2]![1]).toEqual(['sh', '-c', expect.any(String), 'firedrill-disk-clean', '/data', file]);
    expect(result).toEqual({
      verified: true,
      done: [`removed ${file} from demo-store-1, and it stayed gone; /data is now 0% used`],
      problems: [],
      manual: [],
    });
    expect(state.files.size).toBe(0);
  });

  it('a writer still at work (an aborted inject) is stopped by the clean-up, and the revert says so', async () => {
    const { planned, ctx, state, file } = setup();
    const record = await planned({ size: '10m' });
    state.cleanSays = 'stopped 41 sh\nstopped 42 dd\nstopped 42 dd\n';
    const result = await diskFill.revert(record, ctx);
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done).toEqual([
      "stopped the fill's writer, still at work: sh (PID 41), dd (PID 42)",
      `removed ${file} from demo-store-1, and it stayed gone; /data is now 0% used`,
    ]);
  });

  it('the application writing to the same filesystem meanwhile does not make the revert fail: it observes the file, not df', async () => {
    const { planned, ctx, state } = setup();
    const record = await planned({ size: '10m' });
    await diskFill.inject(record, ctx);
    state.usedKiB += 30_000; // the app's own files
    const result = await diskFill.revert(record, ctx);
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done.at(-1)).toMatch(/stayed gone; \/data is now 45\.8% used$/);
  });
  it('refuses at plan time a percent already reached, more than is free, and more than maxBytes', async () => {
    const half = { mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 32_768 };
    await expect(setup(half).planned({ percent: 50 })).rejects.toThrow(ScopeError);
    await expect(setup(half).planned({ percent: 40 })).rejects.toThrow(/50% used\) is already at or above 40%; there is nothing to fill/);
    await expect(setup(half).planned({ size: '40m' })).rejects.toThrow(
      /has room for less than 40 MiB — choose a smaller size, or percent: 100/,
    );
    const root = { mount: '/', type: 'overlay', totalKiB: 100 * 1024 * 1024, usedKiB: 0 };
    await expect(setup(root).planned({ percent: 10 })).rejects.toThrow(
      /writing 10 GiB, more than maxBytes \(1 GiB\) — raise maxBytes if you mean it/,
    );
    expect(await setup(root).planned({ percent: 10, maxBytes: '10g' })).toBeDefined();
  });

  it('a target unfit for the fill (a tool missing, no sh at all) is a ScopeError with its words', async () => {
    const { engine, planned } = setup();
    engine.onExec(() => ({ exitCode: 4, stdout: '', stderr: 'neither fallocate nor dd is installed' }));
    await expect(planned({ size: '1m' })).rejects.toThrow(
      'disk-fill cannot fill /data in container demo-store-1 (service store): neither fallocate nor dd is installed',
    );
    engine.onExec(() => ({ exitCode: 127, stdout: '', stderr: 'exec: "sh": executable file not found in $PATH' }));
    await expect(planned({ size: '1m' })).rejects.toThrow(/has no sh/);
  });

  it("a failed fill is an error with the tool's words", async () => {
    const { engine, planned, ctx } = setup();
    const record = await planned({ size: '1m' });
    engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: 'dd: error writing: No space left on device' }));
    await expect(diskFill.inject(record, ctx)).rejects.toThrow(
      /writing 1 MiB to .* failed \(exit code 1\): dd: error writing: No space left on device/,
    );
  });

  it('another process still holding the removed file open is a problem with a way out', async () => {
    const { planned, ctx, state, id, file } = setup();
    const record = await planned({ size: '10m' });
    await diskFill.inject(record, ctx);
    state.cleanSays = 'held 77 backup\n';
    const result = await diskFill.revert(record, ctx);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([
      `the removed ${file} is still held open in demo-store-1 by backup (PID 77): its 10 MiB are not free until that closes it`,
    ]);
    expect(result.manual).toEqual([`docker restart ${id}  # releases space held by removed files that are still open`]);
  });

  it('a clean-up that cannot make the file stay gone is a problem with its words and the commands to finish', async () => {
    const { planned, ctx, engine, id, file } = setup();
    const record = await planned({ size: '10m' });
    engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: `${file} keeps coming back after rm: a writer is still at work` }));
    const result = await diskFill.revert(record, ctx);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([
      `removing ${file} from demo-store-1 failed (exit code 1): ${file} keeps coming back after rm: a writer is still at work`,
    ]);
    expect(result.manual).toEqual([
      `docker restart ${id}  # ends a writer that will not stop`,
      `docker exec ${id} rm -f -- ${file} ${file}.writer`,
    ]);
  });

  it('a removed container took its own layer or tmpfs with it, but not a volume', async () => {
    const tmpfs = setup();
    const onTmpfs = await tmpfs.planned({ size: '1m' });
    tmpfs.engine.setState(tmpfs.id, { removed: true });
    expect(await diskFill.revert(onTmpfs, tmpfs.ctx)).toMatchObject({ verified: true, done: [expect.stringMatching(/no longer exists/)] });

    const volume = setup({ mount: '/data', type: 'ext4', totalKiB: 1_000_000, usedKiB: 0 });
    const onVolume = await volume.planned({ size: '1m' });
    volume.engine.setState(volume.id, { removed: true });
    const result = await diskFill.revert(onVolume, volume.ctx);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([`${volume.file} may remain on the ext4 mount at /data, which outlives the container`]);
    expect(result.manual).toEqual([
      `docker compose exec store rm -f -- ${volume.file} ${volume.file}.writer  # from any container that mounts the same volume`,
    ]);
  });

  it('a stopped container is started only to remove the file, then stopped again as it was found', async () => {
    const { planned, ctx, engine, id, state, file } = setup();
    const record = await planned({ size: '1m' });
    await diskFill.inject(record, ctx);
    engine.setState(id, { status: 'exited' });
    const result = await diskFill.revert(record, ctx);
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.done).toEqual([
      `started demo-store-1 only to remove ${file} (it was exited)`,
      `removed ${file} from demo-store-1, and it stayed gone; /data is now 0% used`,
      `stopped demo-store-1 again, as it was found: disk-fill does not decide whether it runs (\`docker start ${id}\` starts it)`,
    ]);
    expect(state.files.size).toBe(0);
    expect(engine.container(id).status).toBe('exited');
    expect(engine.calls.map((c) => c.method).filter((m) => m === 'start' || m === 'stop')).toEqual(['start', 'stop']);
  });

  it('a paused container is not unpaused (another fault may hold it): the file stays, and the person gets the commands', async () => {
    const { planned, ctx, engine, id, state, file } = setup();
    const record = await planned({ size: '1m' });
    await diskFill.inject(record, ctx);
    await engine.pause(id);
    const result = await diskFill.revert(record, ctx);
    expect(result.verified).toBe(false);
    expect(result.done).toEqual([
      `demo-store-1 is paused, not by this fault (disk-fill never pauses): left paused (\`docker unpause ${id}\` resumes it)`,
    ]);
    expect(result.problems).toEqual([
      `${file} is still in demo-store-1: it can only be removed from inside, and a paused container runs nothing`,
    ]);
    expect(result.manual).toEqual([
      `docker unpause ${id}`,
      `docker exec ${id} rm -f -- ${file} ${file}.writer`,
      `docker pause ${id}  # if it should stay paused`,
    ]);
    expect(engine.callsTo('unpause')).toEqual([]);
    expect(engine.container(id).status).toBe('paused');
    expect(state.files.size).toBe(1);
  });

  it('manual commands quote a path the shell would split', async () => {
    const { planned, ctx, engine, id } = setup({ mount: '/srv/my data', type: 'ext4', totalKiB: 1_000_000, usedKiB: 0 });
    const record = await planned({ size: '1m', path: "/srv/my data/it's" });
    engine.setState(id, { removed: true });
    const file = `/srv/my data/it's/.firedrill-fill-full-${id.slice(0, 12)}`;
    expect((await diskFill.revert(record, ctx)).manual).toEqual([
      `docker compose exec store rm -f -- '${file.replace("'", "'\\''")}' '${file.replace("'", "'\\''")}.writer'  # from any container that mounts the same volume`,
    ]);
  });

  it('inject without preflight is a defect', async () => {
    const { record, ctx } = setup();
    await expect(diskFill.revert(record({ size: '1m' }), ctx)).rejects.toThrow(InternalError);
  });
});
