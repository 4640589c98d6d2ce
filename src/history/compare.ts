import type { DrillModel, ObjectiveModel } from '../report/model-types.js';
import { measuredChange } from '../run/change.js';
import { matchObjectives } from '../run/objective-match.js';

/**
 * Two runs side by side: each objective's recovery time in the baseline and in the current run,
 * and what changed. Pure. A change the polling alone could account for (change.ts: the true change
 * lies between `change − r_current` and `change + r_baseline`) is "within resolution".
 */

export type ObjectiveChangeStatus = 'better' | 'worse' | 'within-resolution' | 'not-measured' | 'new' | 'gone';

export interface ObjectiveSide {
  targetMs: number;
  measuredMs: number | null;
  resolutionMs: number | null;
  met: boolean | null;
}

export interface ObjectiveChange {
  scope: 'drill' | 'step';
  /** The current run's step index (the baseline's for a gone objective); null for the drill's objective. */
  index: number | null;
  name: string;
  baseline: ObjectiveSide | null;
  current: ObjectiveSide | null;
  /** current − baseline (positive: slower); null unless both measured it. */
  changeMs: number | null;
  changePct: number | null;
  combinedResolutionMs: number | null;
  /** The range the true change lies in (change − this run's resolution … change + the baseline's); null unless both measured it. */
  lowerBoundChangeMs: number | null;
  upperBoundChangeMs: number | null;
  status: ObjectiveChangeStatus;
}

export interface RunSide {
  runId: string | null;
  playbook: string | null;
  project: string | null;
  startedAt: string | null;
  verdict: DrillModel['verdict'];
  exitCode: number | null;
}

export interface RunComparison {
  baseline: RunSide;
  current: RunSide;
  verdictChanged: boolean;
  /** False when the runs are of different playbooks (by name): the comparison may mean little. */
  samePlaybook: boolean;
  objectives: ObjectiveChange[];
}

export function compareRuns(base: DrillModel, current: DrillModel): RunComparison {
  return {
    baseline: sideOf(base),
    current: sideOf(current),
    verdictChanged: base.verdict !== current.verdict,
    samePlaybook: (base.playbook?.name ?? null) === (current.playbook?.name ?? null),
    objectives: matchObjectives(base.objectives, current.objectives).map((pair) => objectiveChange(pair.baseline, pair.current)),
  };
}

function objectiveChange(b: ObjectiveModel | null, c: ObjectiveModel | null): ObjectiveChange {
  const either = (c ?? b)!;
  const head = {
    scope: either.scope,
    index: either.index,
    name: either.name,
    baseline: b && sideOfObjective(b),
    current: c && sideOfObjective(c),
  };
  const none = { changeMs: null, changePct: null, combinedResolutionMs: null, lowerBoundChangeMs: null, upperBoundChangeMs: null };
  if (b === null) return { ...head, ...none, status: 'new' };
  if (c === null) return { ...head, ...none, status: 'gone' };
  if (b.measuredMs === null || c.measuredMs === null) return { ...head, ...none, status: 'not-measured' };
  const change = measuredChange(
    { measuredMs: b.measuredMs, resolutionMs: b.resolutionMs },
    { measuredMs: c.measuredMs, resolutionMs: c.resolutionMs },
  );
  const status = change.direction === 'slower' ? 'worse' : change.direction === 'faster' ? 'better' : 'within-resolution';
  const { changeMs, changePct, combinedResolutionMs, lowerBoundChangeMs, upperBoundChangeMs } = change;
  return { ...head, changeMs, changePct, combinedResolutionMs, lowerBoundChangeMs, upperBoundChangeMs, status };
}

function sideOfObjective(o: ObjectiveModel): ObjectiveSide {
  return { targetMs: o.targetMs, measuredMs: o.measuredMs, resolutionMs: o.resolutionMs, met: o.met };
}

function sideOf(model: DrillModel): RunSide {
  return {
    runId: model.runId,
    playbook: model.playbook?.name ?? null,
    project: model.project,
    startedAt: model.startedAt,
    verdict: model.verdict,
    exitCode: model.exitCode,
  };
}
