import { emptyModel } from '../../../../src/report/model-parts.js';
import type { DrillModel, ObjectiveModel } from '../../../../src/report/model-types.js';

/** An objective as the model holds it once evaluated. */
export function objective(o: Partial<ObjectiveModel> & Pick<ObjectiveModel, 'scope' | 'name'>): ObjectiveModel {
  const measuredMs = o.measuredMs ?? null;
  const targetMs = o.targetMs ?? 5000;
  return {
    index: o.scope === 'step' ? 1 : null,
    stepName: o.scope === 'step' ? o.name : null,
    targetMs,
    measuredMs,
    resolutionMs: measuredMs === null ? null : 250,
    met: measuredMs !== null && measuredMs <= targetMs,
    missedByMs: null,
    evaluated: true,
    note: null,
    ...o,
  };
}

/** A finished run's model with these objectives (the rest as an empty journal leaves it). */
export function drillModel(runId: string, objectives: ObjectiveModel[], verdict: DrillModel['verdict'] = 'passed'): DrillModel {
  return {
    ...emptyModel(),
    runId,
    playbook: { name: 'app-crash', title: 'App crash', summary: 'The app crashes.', file: 'drill.yaml', sha256: 'a'.repeat(64) },
    project: 'shop',
    verdict,
    exitCode: verdict === 'passed' ? 0 : 1,
    finished: true,
    startedAt: '2026-11-20T09:00:00.000Z',
    objectives,
  };
}
