import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf, UsageError } from '../errors.js';
import type { JournalEntry } from '../journal/entry.js';
import { readFirstEntry, readJournal } from '../journal/reader.js';
import type { FaultRecord } from '../faults/fault.js';
import { journalProject, pendingFaults } from './pending-faults.js';
import { JOURNAL_FILE } from './run-directory.js';

export const RECOVERY_JOURNAL_PREFIX = 'recovery-';

export interface RunState {
  dir: string;
  runId: string;
  project: string;
  pending: FaultRecord[];
}

/** A run directory's journals: the drill's first, then its recovery journals in order. */
export async function readRunJournals(dir: string): Promise<JournalEntry[][]> {
  const names = await readdir(dir);
  const recoveries = names.filter((name) => name.startsWith(RECOVERY_JOURNAL_PREFIX) && name.endsWith('.jsonl')).sort();
  return Promise.all(['journal.jsonl', ...recoveries].map((name) => readJournal(join(dir, name))));
}

/**
 * A run's identity and the faults it left applied. With `project`, a run of another project is
 * skipped after its journal's first line (drill.started), so looking through a long history
 * reads only the journals of the project at hand.
 */
export async function readRunState(dir: string, project?: string): Promise<RunState | undefined> {
  const first = await readFirstEntry(join(dir, JOURNAL_FILE));
  const identity = journalProject(first ? [first] : []);
  if (!identity || (project !== undefined && identity.project !== project)) return undefined;
  return { dir, ...identity, pending: pendingFaults(await readRunJournals(dir)) };
}

/** Runs under `runsDir` against `project` that left faults applied, oldest first. */
export async function runsWithPendingFaults(runsDir: string, project: string): Promise<RunState[]> {
  // Every entry, symlinks included: a run left with faults applied must never be passed over.
  const names = (await readdir(runsDir).catch((): string[] => [])).sort();
  const states = await Promise.all(names.map((name) => readRunState(join(runsDir, name), project).catch(() => undefined)));
  return states.filter((state): state is RunState => state !== undefined && state.pending.length > 0);
}

/** The names of the directories under `runsDir`, sorted (run ids sort by start time); none when it does not exist. */
export async function runDirectoryNames(runsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(runsDir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot list the runs directory ${runsDir}: ${messageOf(error)} — give the directory that holds the run directories with --runs-dir`);
  }
}
