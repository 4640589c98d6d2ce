import { join } from 'node:path';
import type { DrillModel } from '../report/model-types.js';
import type { RegressionBaseline, RegressionGate } from './regression.js';
import { runDirectoryNames } from './run-index.js';
import { readFirstEntry, readRunModel } from './run-model.js';

/**
 * The regression gate for a run about to start: the most recent run of the same playbook (by
 * name) against the same compose project, under `runsDir`, that passed. Only a passed run sets
 * the bar: a failed one (the gate itself may have failed it for being slow) would loosen the
 * gate after a single bad run, and an aborted or interrupted one measured under conditions the
 * next run will not repeat. Damaged journals and runs of other playbooks or projects are passed
 * over; with none left, the gate has no baseline and says why. Reads newest first and stops at
 * the first fit.
 */
export async function chooseRegressionGate(runsDir: string, playbook: string, project: string, maxRegressionPct: number): Promise<RegressionGate> {
  let passedOver = 0;
  for (const name of (await runDirectoryNames(runsDir)).reverse()) {
    const dir = join(runsDir, name);
    const model = await sameDrill(dir, playbook, project);
    if (!model) continue;
    if (!model.finished || model.verdict !== 'passed') {
      passedOver += 1;
      continue;
    }
    return { maxRegressionPct, baseline: baselineOf(name, model, passedOver) };
  }
  // Journaled and shown in the report: the runs directory is named, not its path on this machine.
  const failed = passedOver > 0 ? ` (${passedOver} ${passedOver === 1 ? 'run of it did' : 'runs of it did'} not)` : '';
  const reason = `no earlier run of playbook ${playbook} on project ${project} in the runs directory passed${failed}`;
  return { maxRegressionPct, baseline: { runId: null, reason } };
}

/** The run's model when it is a run of this playbook on this project; undefined otherwise or when unreadable. */
async function sameDrill(dir: string, playbook: string, project: string): Promise<DrillModel | undefined> {
  try {
    const first = await readFirstEntry(dir);
    if (first?.type !== 'drill.started' || first.data.playbook.name !== playbook || first.data.project !== project) return undefined;
    return await readRunModel(dir);
  } catch {
    return undefined; // no journal, or a damaged one: not a baseline anyone could check
  }
}

function baselineOf(runId: string, model: DrillModel, passedOver: number): RegressionBaseline {
  return {
    runId,
    startedAt: model.startedAt,
    verdict: model.verdict,
    passedOver,
    objectives: model.objectives.map((o) => ({ scope: o.scope, index: o.index, name: o.name, measuredMs: o.measuredMs, resolutionMs: o.resolutionMs })),
  };
}
