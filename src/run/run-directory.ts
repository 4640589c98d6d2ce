import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const DEFAULT_RUNS_DIR = '.firedrill/runs';

/** Where one run keeps its playbook copy, journal and reports. */
export interface RunDirectory {
  runId: string;
  dir: string;
  journalPath: string;
}

/**
 * Creates `<runsDir>/<runId>/` with a copy of the playbook. The id sorts by start time
 * (UTC, to the second) and carries a random suffix so two runs never share a directory.
 */
export async function createRunDirectory(runsDir: string, playbookName: string, source: string, now: Date): Promise<RunDirectory> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const runId = `${stamp}-${playbookName}-${randomBytes(3).toString('hex')}`;
  const dir = resolve(runsDir, runId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'playbook.yaml'), source, { flag: 'wx' });
  return { runId, dir, journalPath: join(dir, 'journal.jsonl') };
}
