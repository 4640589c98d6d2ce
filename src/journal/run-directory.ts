import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const DEFAULT_RUNS_DIR = '.firedrill/runs';

/** A run's journal, inside its directory. */
export const JOURNAL_FILE = 'journal.jsonl';

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
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  // node:crypto is loaded here rather than at the top: every command imports this file for DEFAULT_RUNS_DIR.
  const { randomBytes } = await import('node:crypto');
  const runId = `${stamp}-${playbookName}-${randomBytes(3).toString('hex')}`;
  const dir = resolve(runsDir, runId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'playbook.yaml'), source, { flag: 'wx' });
  return { runId, dir, journalPath: join(dir, JOURNAL_FILE) };
}

const RUN_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)-[0-9a-f]{6}$/;

/** What a run id made by createRunDirectory says: when the run started (ISO, UTC) and its playbook's name. */
export function parseRunId(runId: string): { startedAt: string; playbookName: string } | undefined {
  const parts = RUN_ID.exec(runId);
  if (!parts) return undefined;
  const [, y, mo, d, h, mi, s, playbookName] = parts;
  return { startedAt: `${y}-${mo}-${d}T${h}:${mi}:${s}Z`, playbookName: playbookName! };
}
