import { objectiveOrder } from '../report/model.js';
import type { RunListing, RunSummary } from './run-index.js';

/**
 * Recovery times over runs, per playbook and objective: the data behind `history --trend`, its
 * sparklines and its HTML charts. Pure. Objectives are followed across runs by scope and name
 * (a step's objective by its step's name, so inserting a step does not mix two series).
 */

export interface TrendPoint {
  runId: string;
  startedAt: string | null;
  /** null when the run did not measure it, or has no such objective (then targetMs is null too). */
  measuredMs: number | null;
  targetMs: number | null;
  resolutionMs: number | null;
  met: boolean | null;
}

export interface TrendStats {
  /** Over the measured points; null when none was measured. */
  minMs: number | null;
  medianMs: number | null;
  maxMs: number | null;
  /** The last run's measurement (null when it measured nothing). */
  lastMs: number | null;
  /** Its target in the latest run that has it. */
  targetMs: number | null;
  measured: number;
  /** Runs that evaluated the objective and missed it (unmeasured ones included). */
  missed: number;
}

export interface ObjectiveTrend {
  scope: 'drill' | 'step';
  name: string;
  /** One point per run of the playbook, oldest first. */
  points: TrendPoint[];
  stats: TrendStats;
}

export interface PlaybookTrend {
  playbook: string;
  /** The title in the latest run. */
  title: string;
  runs: number;
  firstStartedAt: string | null;
  lastStartedAt: string | null;
  objectives: ObjectiveTrend[];
}

/** Trends of the readable runs, one per playbook, in the order playbooks first appear. */
export function buildTrends(runs: readonly RunListing[]): PlaybookTrend[] {
  const byPlaybook = new Map<string, RunSummary[]>();
  for (const run of runs) {
    if (!run.readable) continue;
    const list = byPlaybook.get(run.playbook.name) ?? [];
    list.push(run);
    byPlaybook.set(run.playbook.name, list);
  }
  return [...byPlaybook.entries()].map(([playbook, list]) => playbookTrend(playbook, list));
}

function playbookTrend(playbook: string, runs: RunSummary[]): PlaybookTrend {
  const keys = new Map<string, { scope: 'drill' | 'step'; name: string; order: number }>();
  for (const run of runs) {
    for (const o of run.objectives) {
      const key = keyOf(o);
      if (!keys.has(key)) keys.set(key, { scope: o.scope, name: o.name, order: objectiveOrder(o) });
    }
  }
  const ordered = [...keys.entries()].sort(([, a], [, b]) => a.order - b.order);
  return {
    playbook,
    title: runs.at(-1)?.playbook.title ?? playbook,
    runs: runs.length,
    firstStartedAt: runs[0]?.startedAt ?? null,
    lastStartedAt: runs.at(-1)?.startedAt ?? null,
    objectives: ordered.map(([key, { scope, name }]) =>
      objectiveTrend(
        scope,
        name,
        runs.map((run) => pointOf(run, key)),
      ),
    ),
  };
}

function keyOf(o: { scope: 'drill' | 'step'; name: string }): string {
  return `${o.scope}\u0000${o.name}`;
}

function pointOf(run: RunSummary, key: string): TrendPoint {
  const o = run.objectives.find((candidate) => keyOf(candidate) === key);
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    measuredMs: o?.measuredMs ?? null,
    targetMs: o?.targetMs ?? null,
    resolutionMs: o?.resolutionMs ?? null,
    met: o?.met ?? null,
  };
}

function objectiveTrend(scope: 'drill' | 'step', name: string, points: TrendPoint[]): ObjectiveTrend {
  const measured = points.map((p) => p.measuredMs).filter((v): v is number => v !== null);
  const sorted = [...measured].sort((a, b) => a - b);
  const last = points.at(-1);
  return {
    scope,
    name,
    points,
    stats: {
      minMs: sorted[0] ?? null,
      medianMs: median(sorted),
      maxMs: sorted.at(-1) ?? null,
      lastMs: last?.measuredMs ?? null,
      targetMs: points.findLast((p) => p.targetMs !== null)?.targetMs ?? null,
      measured: measured.length,
      missed: points.filter((p) => p.met === false).length,
    },
  };
}

/** The middle value; for an even count the mean of the two middle ones. */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
