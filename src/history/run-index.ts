import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf, UsageError } from '../errors.js';
import type { DrillModel } from '../report/model-types.js';
import { JOURNAL_FILE } from '../report/write-reports.js';
import { readFirstEntry, readRunModel } from './run-model.js';

/** One objective of a run, as history shows it. */
export interface ObjectiveSummary {
  scope: 'drill' | 'step';
  /** Step index (0-based) for a step objective, else null. */
  index: number | null;
  name: string;
  targetMs: number;
  measuredMs: number | null;
  resolutionMs: number | null;
  /** null when the journal ends before the objective was evaluated. */
  met: boolean | null;
}

/** A run whose journal could be read. */
export interface RunSummary {
  readable: true;
  /** The run directory's name, which sorts by start time. */
  runId: string;
  dir: string;
  playbook: { name: string; title: string };
  project: string | null;
  /** Wall-clock ISO time of the journal's first entry. */
  startedAt: string | null;
  verdict: DrillModel['verdict'];
  exitCode: number | null;
  reason: string | null;
  finished: boolean;
  /** For an incomplete journal, up to its last entry. */
  durationMs: number;
  objectives: ObjectiveSummary[];
  /** What the regression gate found, when the run had one. */
  regression: { baselineRunId: string | null; maxRegressionPct: number; regressed: number } | null;
}

/** A run directory whose journal is missing or damaged: listed, with the reason, never fatal. */
export interface UnreadableRun {
  readable: false;
  runId: string;
  dir: string;
  reason: string;
  /** From the run id (`20261121T024833Z-<playbook>-<hex>`), when it has that form. */
  startedAt: string | null;
  playbookName: string | null;
}

export type RunListing = RunSummary | UnreadableRun;

export interface RunFilter {
  /** Only runs of this playbook (by its name). */
  playbook?: string;
  /** Only the last `limit` runs (after the playbook filter). */
  limit?: number;
}

/**
 * The runs under `runsDir`, oldest first (run ids sort by start time). Journals are read one at
 * a time, newest first, so `limit` reads only what it shows; with a playbook filter, a run of
 * another playbook is passed over after its first line. A missing runs directory has no runs.
 */
export async function listRuns(runsDir: string, filter: RunFilter = {}): Promise<RunListing[]> {
  const picked: RunListing[] = [];
  for (const name of (await runDirectoryNames(runsDir)).reverse()) {
    if (filter.limit !== undefined && picked.length >= filter.limit) break;
    const run = await readRunListing(join(runsDir, name), name, filter.playbook);
    if (run) picked.push(run);
  }
  return picked.reverse();
}

/** The names of the directories under `runsDir`, sorted. */
export async function runDirectoryNames(runsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(runsDir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot list the runs directory ${runsDir}: ${messageOf(error)} — give the directory that holds the run directories with --runs-dir`);
  }
}

/** A run's summary; undefined when `playbook` is given and the run is of another playbook. */
export async function readRunListing(dir: string, runId: string, playbook?: string): Promise<RunListing | undefined> {
  try {
    await access(join(dir, JOURNAL_FILE)).catch(() => {
      throw new Error(`it has no ${JOURNAL_FILE}`);
    });
    if (playbook !== undefined) {
      const first = await readFirstEntry(dir);
      if (first?.type === 'drill.started' && first.data.playbook.name !== playbook) return undefined;
    }
    const summary = summarise(runId, dir, await readRunModel(dir));
    return playbook === undefined || !summary.readable || summary.playbook.name === playbook ? summary : undefined;
  } catch (error) {
    const run = unreadable(runId, dir, messageOf(error));
    return playbook === undefined || run.playbookName === playbook ? run : undefined;
  }
}

function summarise(runId: string, dir: string, model: DrillModel): RunListing {
  if (model.journal.entries === 0) return unreadable(runId, dir, 'its journal is empty');
  if (model.playbook === null) return unreadable(runId, dir, 'its journal does not begin with the drill\'s start record');
  return {
    readable: true,
    runId,
    dir,
    playbook: { name: model.playbook.name, title: model.playbook.title },
    project: model.project,
    startedAt: model.startedAt,
    verdict: model.verdict,
    exitCode: model.exitCode,
    reason: model.reason,
    finished: model.finished,
    durationMs: model.durationMs,
    objectives: model.objectives.map((o) => ({
      scope: o.scope, index: o.index, name: o.name, targetMs: o.targetMs, measuredMs: o.measuredMs, resolutionMs: o.resolutionMs, met: o.met,
    })),
    regression: model.regression
      ? { baselineRunId: model.regression.baselineRunId, maxRegressionPct: model.regression.maxRegressionPct, regressed: model.regression.regressed }
      : null,
  };
}

const RUN_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)-[0-9a-f]{6}$/;

function unreadable(runId: string, dir: string, reason: string): UnreadableRun {
  const parts = RUN_ID.exec(runId);
  // The journal's path in a reader's message is the run's own: say "journal.jsonl", not the path again.
  const shortReason = reason.split(join(dir, JOURNAL_FILE)).join(JOURNAL_FILE);
  if (!parts) return { readable: false, runId, dir, reason: shortReason, startedAt: null, playbookName: null };
  const [, y, mo, d, h, mi, s, playbookName] = parts;
  return { readable: false, runId, dir, reason: shortReason, startedAt: `${y}-${mo}-${d}T${h}:${mi}:${s}Z`, playbookName: playbookName ?? null };
}
