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
 * script reports it, the fill script adds to it, the clean script takes the file away again.
 */
function setup(disk: Disk = { mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 0 }) {
  const engine = new FakeEngine([{ service: 'store' }]);
  const ctx = { engine, signal: new AbortController().signal };
  const state = { ...disk, files: new Map<string, number>() };
  const df = () => `df ${state.type} ${state.totalKiB} ${state.usedKiB} ${state.totalKiB - state.usedKiB} 0% ${state.mount}\ntype ${state.type}\n`;
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
      return ok(df());
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
  const parse = (input: Record<string, unknown>) => diskFill.schema.safeParse({ kind: 'disk-fill', service: 'store', path: '/data', ...input });

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
  it('preflight measures the filesystem and journals the file, the amount and the tool; plan says it all', async () => {
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
        apply: `write 32 MiB (33554432 bytes, with fallocate) to ${file} in container demo-store-1 (service store): its tmpfs filesystem at /data goes from 25% to 75% used`,
        revert: `remove ${file}, check that it is gone and its space free (start demo-store-1 first if it stopped)`,
      },
    ]);
  });

  it('inject writes the planned amount; revert removes exactly that file and sees the space free again', async () => {
    const { planned, ctx, state, file, engine } = setup();
    const record = await planned({ size: '10m' });
    await diskFill.inject(record, ctx);
    expect(engine.callsTo('exec')[1]![1]).toEqual(['sh', '-c', expect.any(String), 'firedrill-disk-fill', file, '10240', 'fallocate']);
    expect(state.usedKiB).toBe(10_240);

    const result = await diskFill.revert(record, ctx);

    expect(result).toEqual({
      verified: true,
      done: ['demo-store-1 was running', `removed ${file} from demo-store-1; /data is 0% used (0% before the fault)`],
      problems: [],
      manual: [],
    });
    expect(state.files.size).toBe(0);
  });

  it('refuses at plan time a percent already reached, more than is free, and more than maxBytes', async () => {
    const half = { mount: '/data', type: 'tmpfs', totalKiB: 65_536, usedKiB: 32_768 };
    await expect(setup(half).planned({ percent: 50 })).rejects.toThrow(ScopeError);
    await expect(setup(half).planned({ percent: 40 })).rejects.toThrow(/50% used\) is already at or above 40%; there is nothing to fill/);
    await expect(setup(half).planned({ size: '40m' })).rejects.toThrow(/has room for less than 40 MiB — choose a smaller size, or percent: 100/);
    const root = { mount: '/', type: 'overlay', totalKiB: 100 * 1024 * 1024, usedKiB: 0 };
    await expect(setup(root).planned({ percent: 10 })).rejects.toThrow(/writing 10 GiB, more than maxBytes \(1 GiB\) — raise maxBytes if you mean it/);
    expect(await setup(root).planned({ percent: 10, maxBytes: '10g' })).toBeDefined();
  });

  it('a target unfit for the fill (a tool missing, no sh at all) is a ScopeError with its words', async () => {
    const { engine, planned } = setup();
    engine.onExec(() => ({ exitCode: 4, stdout: '', stderr: 'neither fallocate nor dd is installed' }));
    await expect(planned({ size: '1m' })).rejects.toThrow('disk-fill cannot fill /data in container demo-store-1 (service store): neither fallocate nor dd is installed');
    engine.onExec(() => ({ exitCode: 127, stdout: '', stderr: 'exec: "sh": executable file not found in $PATH' }));
    await expect(planned({ size: '1m' })).rejects.toThrow(/has no sh/);
  });

  it('a failed fill is an error with the tool\'s words', async () => {
    const { engine, planned, ctx } = setup();
    const record = await planned({ size: '1m' });
    engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: 'dd: error writing: No space left on device' }));
    await expect(diskFill.inject(record, ctx)).rejects.toThrow(/writing 1 MiB to .* failed \(exit code 1\): dd: error writing: No space left on device/);
  });

  it('space still held after the file is gone (a process keeps it open) is a problem with a way out', async () => {
    const { planned, ctx, state, engine, id } = setup();
    const record = await planned({ size: '10m' });
    await diskFill.inject(record, ctx);
    engine.onExec(() => ok(`df tmpfs 65536 ${state.usedKiB} ${65_536 - state.usedKiB} 16% /data\n`));
    const result = await diskFill.revert(record, ctx);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual(['/data is 15.6% used (0% before the fault): the 10 MiB written are not free again — a process may still hold the deleted file open']);
    expect(result.manual).toEqual([`docker restart ${id}  # releases space held by deleted files that are still open`]);
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
    expect(result.manual).toEqual([`docker compose exec store rm -f ${volume.file}  # from any container that mounts the same volume`]);
  });

  it('a stopped container is started so that the file can be removed', async () => {
    const { planned, ctx, engine, id, state } = setup();
    const record = await planned({ size: '1m' });
    await diskFill.inject(record, ctx);
    engine.setState(id, { status: 'exited' });
    const result = await diskFill.revert(record, ctx);
    expect(result).toMatchObject({ verified: true });
    expect(result.done[0]).toBe('started demo-store-1 (it was exited)');
    expect(state.files.size).toBe(0);
  });

  it('inject without preflight is a defect', async () => {
    const { record, ctx } = setup();
    await expect(diskFill.revert(record({ size: '1m' }), ctx)).rejects.toThrow(InternalError);
  });
});
