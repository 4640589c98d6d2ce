import type { EventMap, RegressionCheckFacts, RegressionObjectiveFacts, RegressionOutcome } from '../journal/events.js';
import { exceedsLimit, measuredChange } from './change.js';
import { matchObjectives } from './objective-match.js';

/**
 * The regression gate (`run --max-regression <percent>`): this run's recovery times against the
 * baseline's. Pure; the CLI chooses the baseline (baseline.ts) and the runner emits the result.
 *
 * An objective regressed when it was measured in both runs and even the least its slowdown can
 * be — the change less this run's resolution, as this run's measurement may be late by that much
 * (change.ts) — is more than `maxRegressionPct` percent of the baseline. An objective either run
 * did not measure is not compared: a missing measurement already fails its objective.
 */

export interface BaselineObjective {
  scope: 'drill' | 'step';
  index: number | null;
  name: string;
  measuredMs: number | null;
  resolutionMs: number | null;
}

export type RegressionBaseline =
  | {
      /** The baseline's run directory name. */
      runId: string;
      startedAt: string | null;
      verdict: string;
      /** Newer runs of the playbook on the project passed over because they did not pass (failed, aborted, interrupted, …). */
      passedOver: number;
      objectives: BaselineObjective[];
    }
  | { runId: null; reason: string };

export interface RegressionGate {
  maxRegressionPct: number;
  baseline: RegressionBaseline;
}

type EvaluatedObjective = EventMap['objective.evaluated'];

export function checkRegression(gate: RegressionGate, evaluated: readonly EvaluatedObjective[]): RegressionCheckFacts {
  const { baseline, maxRegressionPct } = gate;
  if (baseline.runId === null) return { baselineRunId: null, maxRegressionPct, reason: baseline.reason, regressed: 0 };
  const objectives: RegressionObjectiveFacts[] = [];
  for (const pair of matchObjectives(baseline.objectives, evaluated)) {
    if (pair.current === null) continue; // gone from this run: nothing to gate
    objectives.push(compareObjective(pair.baseline, pair.current, maxRegressionPct));
  }
  return { baselineRunId: baseline.runId, maxRegressionPct, objectives, regressed: objectives.filter((o) => o.regressed).length };
}

function compareObjective(baseline: BaselineObjective | null, current: EvaluatedObjective, maxPct: number): RegressionObjectiveFacts {
  const facts = {
    name: current.name,
    scope: current.scope,
    ...(current.index !== undefined ? { index: current.index } : {}),
    baselineMs: baseline?.measuredMs ?? null,
    measuredMs: current.measuredMs,
  };
  const notCompared = (outcome: RegressionOutcome): RegressionObjectiveFacts => ({
    ...facts,
    changeMs: null,
    changePct: null,
    combinedResolutionMs: null,
    lowerBoundChangeMs: null,
    outcome,
    regressed: false,
  });
  if (baseline === null) return notCompared('not-in-baseline');
  if (baseline.measuredMs === null) return notCompared('baseline-not-measured');
  if (current.measuredMs === null) return notCompared('not-measured');
  const change = measuredChange(
    { measuredMs: baseline.measuredMs, resolutionMs: baseline.resolutionMs },
    { measuredMs: current.measuredMs, resolutionMs: current.resolutionMs },
  );
  const outcome: RegressionOutcome =
    change.direction === 'slower' ? (exceedsLimit(baseline.measuredMs, change, maxPct) ? 'regressed' : 'within-limit') : change.direction;
  return {
    ...facts,
    changeMs: change.changeMs,
    changePct: change.changePct,
    combinedResolutionMs: change.combinedResolutionMs,
    lowerBoundChangeMs: change.lowerBoundChangeMs,
    outcome,
    regressed: outcome === 'regressed',
  };
}
