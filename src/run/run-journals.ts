import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '../journal/entry.js';
import { readJournal, readJournalEntries } from '../journal/reader.js';
import type { FaultRecord } from '../faults/fault.js';
import { journalProject, pendingFaults } from './pending-faults.js';

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
  const identity = journalProject(await firstEntries(join(dir, 'journal.jsonl')));
  if (!identity || (project !== undefined && identity.project !== project)) return undefined;
  return { dir, ...identity, pending: pendingFaults(await readRunJournals(dir)) };
}

async function firstEntries(path: string): Promise<JournalEntry[]> {
  for await (const entry of readJournalEntries(path)) return [entry];
  return [];
}

/** Runs under `runsDir` against `project` that left faults applied, oldest first. */
export async function runsWithPendingFaults(runsDir: string, project: string): Promise<RunState[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir)).sort();
  } catch {
    return [];
  }
  const states = await Promise.all(names.map((name) => readRunState(join(runsDir, name), project).catch(() => undefined)));
  return states.filter((state): state is RunState => state !== undefined && state.pending.length > 0);
}
