import { join } from 'node:path';
import { count } from '../words/number-words.js';
import { runDirectoryNames } from '../journal/run-journals.js';
import type { RegressionBaseline, RegressionGate } from '../run/regression.js';
import { readRunListing, type RunSummary } from './run-index.js';

/**
 * The regression gate for a run about to start: the most recent run of the same playbook (by
 * name) against the same compose project, under `runsDir`, that passed. Only a passed run sets
 * the bar: a failed one (the gate itself may have failed it for being slow) would loosen the
 * gate after a single bad run, and an aborted or interrupted one measured under conditions the
 * next run will not repeat. Damaged journals and runs of other playbooks or projects are passed
 * over; with none left, the gate has no baseline and says why. Reads newest first and stops at
 * the first fit.
 */
export async function chooseRegressionGate(
  runsDir: string,
  playbook: string,
  project: string,
  maxRegressionPct: number,
): Promise<RegressionGate> {
  let passedOver = 0;
  for (const name of (await runDirectoryNames(runsDir)).reverse()) {
    const run = await readRunListing(join(runsDir, name), name, { playbook, project });
    // Another drill's run, or one without a journal or with a damaged one: no baseline anyone could check.
    if (!run?.readable) continue;
    if (!run.finished || run.verdict !== 'passed') {
      passedOver += 1;
      continue;
    }
    return { maxRegressionPct, baseline: baselineOf(run, passedOver) };
  }
  // Journaled and shown in the report: the runs directory is named, not its path on this machine.
  const failed = passedOver > 0 ? ` (${count(passedOver, 'run')} of it did not)` : '';
  const reason = `no earlier run of playbook ${playbook} on project ${project} in the runs directory passed${failed}`;
  return { maxRegressionPct, baseline: { runId: null, reason } };
}

function baselineOf(run: RunSummary, passedOver: number): RegressionBaseline {
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    verdict: run.verdict,
    passedOver,
    objectives: run.objectives.map((o) => ({
      scope: o.scope,
      index: o.index,
      name: o.name,
      measuredMs: o.measuredMs,
      resolutionMs: o.resolutionMs,
    })),
  };
}
