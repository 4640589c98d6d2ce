import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunsDir } from '../../../src/doctor/runs-dir-check.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'firedrill-runs-check-'));
}

describe('firedrill doctor: the runs directory', () => {
  it('an existing directory is probed and left exactly as it was', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'kept.txt'), 'x');
    expect(await checkRunsDir(dir)).toMatchObject({ status: 'ok', code: 'runs-dir.writable', args: { dir, exists: true } });
    expect(readdirSync(dir)).toEqual(['kept.txt']);
  });

  it('a directory that does not exist yet is not created: the nearest one above it is probed', async () => {
    const parent = scratch();
    const finding = await checkRunsDir(join(parent, 'a', 'b', 'runs'));
    expect(finding).toMatchObject({ status: 'ok', args: { exists: false, createdUnder: parent } });
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a file where a directory of the path should be fails, naming it', async () => {
    const parent = scratch();
    writeFileSync(join(parent, 'out'), 'not a directory');
    expect(await checkRunsDir(join(parent, 'out', 'runs'))).toMatchObject({
      status: 'fail',
      code: 'runs-dir.blocked',
      args: { at: join(parent, 'out') },
    });
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('a directory nobody can write in (procfs, even for root) fails with the reason', async () => {
    expect(await checkRunsDir('/proc/firedrill-runs')).toMatchObject({
      status: 'fail',
      code: 'runs-dir.not-writable',
      args: { at: '/proc' },
    });
  });
});
