import { cpSync, mkdirSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { runsToRecover, RUNS_READ_AT_ONCE } from '../../../src/journal/run-journals.js';
import { useTempDir } from '../journal/support/temp-dir.js';

/**
 * Reading a runs directory of many runs takes a few files at a time, and a refusal of the
 * system (too many open files, no permission) is said as what it is — never as damage of a
 * journal, which would send people to check their containers by hand for nothing. The file
 * system is wrapped only to count open journals and to make the system refuse one of them.
 */
const system = vi.hoisted(() => ({ open: 0, mostOpen: 0, refuse: new Map<string, string>() }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open: typeof real.open = async (path, ...rest) => {
    const refusal = [...system.refuse].find(([part]) => String(path).includes(part))?.[1];
    if (refusal) throw Object.assign(new Error(`${refusal}: refused by the test, open '${String(path)}'`), { code: refusal });
    const handle = await real.open(path, ...rest);
    if (String(path).endsWith('.jsonl')) {
      system.mostOpen = Math.max(system.mostOpen, ++system.open);
      const close = handle.close.bind(handle);
      handle.close = async () => {
        system.open -= 1;
        return close();
      };
    }
    return handle;
  };
  return { ...real, open, default: { ...real, open } };
});

const tempDir = useTempDir();
const KILLED = join(import.meta.dirname, '../../fixtures/journals/region-a-loss-cut-off/journal.jsonl');

function runsDirOf(count: number): string {
  const runsDir = tempDir();
  for (let i = 0; i < count; i += 1) {
    const dir = join(runsDir, `20261120T09${String(i).padStart(4, '0')}Z-region-a-loss-0a0a0a`);
    mkdirSync(dir);
    cpSync(KILLED, join(dir, 'journal.jsonl'));
  }
  return runsDir;
}

describe('runs to recover, from a runs directory of many runs', () => {
  it(`reads at most ${RUNS_READ_AT_ONCE} journals at a time, and finds every run`, async () => {
    system.mostOpen = 0;
    const runs = await runsToRecover(runsDirOf(40), 'demo');
    expect(runs).toHaveLength(40);
    expect(system.mostOpen).toBeGreaterThan(0);
    expect(system.mostOpen).toBeLessThanOrEqual(RUNS_READ_AT_ONCE);
  });

  it.each([
    ['EMFILE', 'ulimit -n'],
    ['EACCES', 'run firedrill as a user who may read it'],
  ])('%s on one journal is an environment error naming the file, not damage of that run', async (code, advice) => {
    const runsDir = runsDirOf(3);
    system.refuse.set('T090001Z', code);
    try {
      const refused = runsToRecover(runsDir, 'demo');
      await expect(refused).rejects.toThrow(EnvironmentError);
      await expect(refused).rejects.toThrow(
        new RegExp(
          `cannot read the journal ${runsDir}/20261120T090001Z-region-a-loss-0a0a0a/journal.jsonl: ${code}.*${advice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
    } finally {
      system.refuse.clear();
    }
  });
});
