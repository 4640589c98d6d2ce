import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { EnvironmentError, messageOf, UsageError } from '../errors.js';
import type { JournalEntry } from './entry.js';
import { readJournal, scanJournalLines } from './reader.js';
import type { FaultRecord } from '../faults/fault.js';
import { mapBounded } from '../faults/mechanisms/target-pool.js';
import { PendingFaultTracker } from './pending-faults.js';
import { JOURNAL_FILE } from './run-directory.js';

export const RECOVERY_JOURNAL_PREFIX = 'recovery-';

/** Run directories read at the same time when looking for runs to recover. */
export const RUNS_READ_AT_ONCE = 8;

/** Something in a run's journals that could not be read: a fault recorded there may still be applied. */
export interface JournalDamage {
  /** The journal's file name in the run directory. */
  file: string;
  /** 1-based line; null when the file could not be read at all. */
  line: number | null;
  problem: string;
}

export interface RunState {
  dir: string;
  /** From the journal; the directory's name when the journal cannot say. */
  runId: string;
  /** The compose project the run was against; null when its journal cannot say (its start record is unreadable). */
  project: string | null;
  /** Faults recorded as applied and never verified as reverted, in the order they were applied. */
  pending: FaultRecord[];
  /**
   * What could not be read. A run whose journals cannot be read whole may have left a fault
   * that its readable lines do not show, so it is never called clean.
   */
  unreadable: JournalDamage[];
}

/** A run directory's journals: the drill's first, then its recovery journals in order. */
export async function readRunJournals(dir: string): Promise<JournalEntry[][]> {
  return Promise.all([JOURNAL_FILE, ...(await recoveryJournalNames(dir))].map((name) => readJournal(join(dir, name))));
}

async function recoveryJournalNames(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    // A run "directory" that is no directory (a symlink to a file) has no recovery journals.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw new EnvironmentError(
      `cannot list the run directory ${dir}: ${messageOf(error)} — it may hold recovery journals; make it readable, then try again`,
    );
  });
  return names.filter((name) => name.startsWith(RECOVERY_JOURNAL_PREFIX) && name.endsWith('.jsonl')).sort();
}

/**
 * A run's identity, the faults it left applied and what of its journals could not be read.
 * Every line that can be read is used, whatever else is damaged: a recovery reverts every fault
 * record it can find. Undefined for a directory that holds no journal, or an empty one: a run
 * writes its start record before it touches anything, so such a run applied nothing. With
 * `project`, a run known to be of another project is undefined too.
 */
export async function readRunState(dir: string, project?: string): Promise<RunState | undefined> {
  const journal = join(dir, JOURNAL_FILE);
  if (!(await holdsSomething(journal))) return undefined;
  const tracker = new PendingFaultTracker();
  const unreadable: JournalDamage[] = [];
  let identity: { runId: string; project: string } | undefined;
  let recoveredProject: string | undefined;
  const names = [JOURNAL_FILE, ...(await recoveryJournalNames(dir))];
  const ofAnotherProject = () => project !== undefined && identity !== undefined && identity.project !== project;
  for (const name of names) {
    const damage = await scanJournal(join(dir, name), (entry) => {
      tracker.add(entry);
      if (entry.type === 'drill.started' && name === JOURNAL_FILE) identity ??= { runId: entry.data.runId, project: entry.data.project };
      if (entry.type === 'recovery.started') recoveredProject ??= entry.data.project;
      // Of another project: nothing more to read (a long history reads only the project's runs).
      return !ofAnotherProject();
    });
    if (ofAnotherProject()) return undefined;
    unreadable.push(...damage.map((d) => ({ file: name, ...d })));
  }
  const runProject = identity?.project ?? recoveredProject ?? null;
  if (project !== undefined && runProject !== null && runProject !== project) return undefined;
  return { dir, runId: identity?.runId ?? basename(dir), project: runProject, pending: tracker.pending(), unreadable };
}

/**
 * Feeds every readable entry to `use` (until it answers false) and returns what could not be
 * read, line by line — a gap in the sequence or the hash chain included; a file that is no
 * journal (a named pipe, a directory) is one piece of damage without a line. When the system
 * refuses the read (too many open files, no permission) the EnvironmentError is thrown: that
 * is no damage of the journal, and calling it so would send people looking for the wrong cause.
 */
async function scanJournal(path: string, use: (entry: JournalEntry) => boolean): Promise<{ line: number | null; problem: string }[]> {
  const damage: { line: number | null; problem: string }[] = [];
  try {
    for await (const read of scanJournalLines(path, { continuity: true })) {
      if ('damage' in read) damage.push(read.damage);
      else if (!use(read.entry)) break;
    }
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    damage.push({ line: null, problem: messageOf(error) });
  }
  return damage;
}

/** False only when there is no file at all, or an empty regular one. Anything else may hold a run's record. */
async function holdsSomething(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return !(info.isFile() && info.size === 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A dangling symlink is no journal either; any other failure is something unreadable, not nothing.
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return await lstat(path)
        .then(() => true)
        .catch(() => false);
    return true;
  }
}

/**
 * Runs under `runsDir` that need `firedrill recover` before project `project` is clean: runs
 * of the project that left faults applied or whose journals cannot be read whole, and damaged
 * runs whose journal cannot say which project they were against. Oldest first. A runs
 * directory that does not exist has none; one that is not a directory is a usage error.
 */
export async function runsToRecover(runsDir: string, project: string): Promise<RunState[]> {
  // Every entry, symlinks included: a run left with faults applied must never be passed over.
  const names = (await listRunsDir(runsDir)).sort();
  // A few at a time: each read holds a file, a 64 KiB buffer and up to one 16 MiB line.
  const states = await mapBounded(names, (name) => readRunState(join(runsDir, name), project), RUNS_READ_AT_ONCE);
  return states.filter((state): state is RunState => state !== undefined && needsRecovery(state));
}

/** Whether a run may still have something applied. */
export function needsRecovery(state: RunState): boolean {
  return state.pending.length > 0 || state.unreadable.length > 0;
}

async function listRunsDir(runsDir: string): Promise<string[]> {
  try {
    return await readdir(runsDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR')
      throw new UsageError(
        `the runs directory ${runsDir} is not a directory — give the directory that holds the run directories with --runs-dir`,
      );
    throw new UsageError(
      `cannot list the runs directory ${runsDir}: ${messageOf(error)} — give the directory that holds the run directories with --runs-dir`,
    );
  }
}

/** The names of the directories under `runsDir`, sorted (run ids sort by start time); none when it does not exist. */
export async function runDirectoryNames(runsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(runsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(
      `cannot list the runs directory ${runsDir}: ${messageOf(error)} — give the directory that holds the run directories with --runs-dir`,
    );
  }
}
