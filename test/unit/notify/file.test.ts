import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendToFile } from '../../../src/notify/file.js';
import type { StatusUpdate } from '../../../src/notify/status-update.js';
import { useTempDir } from '../journal/support/temp-dir.js';

const tempDir = useTempDir();

const update = (status: StatusUpdate['status'], message: string): StatusUpdate => ({
  drill: 'region-loss',
  runId: 'run-1',
  status,
  message,
  sentAt: '2026-11-21T09:00:00.000Z',
});
const live = () => new AbortController().signal;

describe('appendToFile', () => {
  it('appends one JSON line per update, after what the file already holds', async () => {
    const path = join(tempDir(), 'status-updates.jsonl');
    writeFileSync(path, '{"earlier":true}\n');
    expect(
      await appendToFile(
        { kind: 'file', path, given: 'status-updates.jsonl' },
        update('investigating', 'Errors on checkout.\nWe are on it.'),
        live(),
      ),
    ).toEqual({ ok: true, attempts: 1 });
    expect(await appendToFile({ kind: 'file', path, given: 'status-updates.jsonl' }, update('resolved', 'All good.'), live())).toEqual({
      ok: true,
      attempts: 1,
    });

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((line) => JSON.parse(line) as unknown)).toEqual([
      { earlier: true },
      update('investigating', 'Errors on checkout.\nWe are on it.'),
      update('resolved', 'All good.'),
    ]);
  });

  it('creates the file but not a missing directory, and says why without the directory it was resolved in', async () => {
    const dir = tempDir();
    const path = join(dir, 'no-such-dir', 'updates.jsonl');
    const result = await appendToFile({ kind: 'file', path, given: 'no-such-dir/updates.jsonl' }, update('investigating', 'm'), live());
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      error: 'cannot write no-such-dir/updates.jsonl: its directory does not exist (ENOENT)',
    });
    expect(result.error).not.toContain(dir);
  });

  it('names the file as the playbook gave it when the path is a directory', async () => {
    const dir = tempDir();
    const result = await appendToFile({ kind: 'file', path: dir, given: 'updates' }, update('investigating', 'm'), live());
    expect(result).toEqual({ ok: false, attempts: 1, error: 'cannot write updates: it is a directory (EISDIR)' });
  });

  it('writes nothing once the drill is aborting', async () => {
    const path = join(tempDir(), 'updates.jsonl');
    const abort = new AbortController();
    abort.abort();
    expect(await appendToFile({ kind: 'file', path, given: 'updates.jsonl' }, update('investigating', 'm'), abort.signal)).toEqual({
      ok: false,
      attempts: 0,
      error: 'aborted: the drill is stopping',
    });
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});
