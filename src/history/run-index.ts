import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../errors.js';
import type { DrillModel } from '../report/model-types.js';
import { JOURNAL_FILE, parseRunId } from '../journal/run-directory.js';
import { runDirectoryNames } from '../journal/run-journals.js';
import { readFirstEntry } from '../journal/reader.js';
import { readDrillModel } from '../report/read-model.js';
import type { EventMap } from '../journal/events.js';

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

/** Which drill a run must be of to be listed: its playbook (by name), its compose project. */
export interface RunOf {
  playbook?: string;
  project?: string;
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
    const run = await readRunListing(join(runsDir, name), name, filter.playbook !== undefined ? { playbook: filter.playbook } : {});
    if (run) picked.push(run);
  }
  return picked.reverse();
}

/**
 * A run's summary; undefined when the run is of another playbook or project than `of` asks for,
 * which its journal's first line (drill.started) tells without reading the rest. A run that
 * cannot be read is listed as unreadable when its id names the playbook asked for.
 */
export async function readRunListing(dir: string, runId: string, of: RunOf = {}): Promise<RunListing | undefined> {
  try {
    await access(join(dir, JOURNAL_FILE)).catch(() => {
      throw new Error(`it has no ${JOURNAL_FILE}`);
    });
    if (of.playbook !== undefined || of.project !== undefined) {
      const first = await readFirstEntry(join(dir, JOURNAL_FILE));
      if (first?.type === 'drill.started' && !isRunOf(first.data, of)) return undefined;
    }
    return summarise(runId, dir, await readDrillModel(dir));
  } catch (error) {
    const run = unreadable(runId, dir, messageOf(error));
    return of.playbook === undefined || run.playbookName === of.playbook ? run : undefined;
  }
}

function isRunOf(started: EventMap['drill.started'], of: RunOf): boolean {
  return (
    (of.playbook === undefined || started.playbook.name === of.playbook) && (of.project === undefined || started.project === of.project)
  );
}

function summarise(runId: string, dir: string, model: DrillModel): RunListing {
  // readDrillModel refuses both already; kept so that the summary can never lack its playbook.
  if (model.journal.entries === 0) return unreadable(runId, dir, 'its journal is empty');
  if (model.playbook === null) return unreadable(runId, dir, "its journal does not begin with the drill's start record");
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
      scope: o.scope,
      index: o.index,
      name: o.name,
      targetMs: o.targetMs,
      measuredMs: o.measuredMs,
      resolutionMs: o.resolutionMs,
      met: o.met,
    })),
    regression: model.regression
      ? {
          baselineRunId: model.regression.baselineRunId,
          maxRegressionPct: model.regression.maxRegressionPct,
          regressed: model.regression.regressed,
        }
      : null,
  };
}

function unreadable(runId: string, dir: string, reason: string): UnreadableRun {
  const parsed = parseRunId(runId);
  // The journal's path in a reader's message is the run's own: say "journal.jsonl", not the path again.
  const shortReason = reason.split(join(dir, JOURNAL_FILE)).join(JOURNAL_FILE);
  return {
    readable: false,
    runId,
    dir,
    reason: shortReason,
    startedAt: parsed?.startedAt ?? null,
    playbookName: parsed?.playbookName ?? null,
  };
}
