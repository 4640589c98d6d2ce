import { ExitCode } from '../../exit-codes.js';
import type { Engine } from '../../engine/ports.js';
import type { LoadedPlaybook } from '../../playbook/load.js';
import { loadPlaybook } from '../../playbook/load.js';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { describePlan } from '../../plan/plan-document.js';
import { planDrill, type DrillPlan } from '../../plan/plan.js';
import type { CliIo } from '../io.js';
import { loadAllowLists } from '../scope-config.js';
import { paintFor } from '../ui/paint.js';
import { renderPlanText } from '../ui/plan-text.js';

export interface PlanCommandOptions {
  json: boolean;
  config?: string;
}

/**
 * `firedrill plan <playbook>`: resolves every target against the engine and prints exactly
 * what a run would do, with the plan hash. Reads only: no container, run directory or lock is
 * created (fault preflights may run throw-away helpers, which are removed).
 */
export async function planCommand(file: string, opts: PlanCommandOptions, io: CliIo): Promise<number> {
  const loaded = await loadPlaybook(file);
  const plan = await resolvePlan(loaded, createDockerEngine(), { config: opts.config, env: io.env });
  const doc = describePlan(plan);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return ExitCode.Passed;
  }
  io.stdout.write(`${renderPlanText(doc, paintFor(io.color(false)))}\n\n`);
  io.stdout.write(`Nothing was touched. To run exactly this plan: firedrill run ${file} --plan-hash ${doc.planHash}\n`);
  return ExitCode.Passed;
}

/**
 * The plan `plan` shows and `run` runs: the playbook's project checked against the allow-lists,
 * then discovered and pinned (planDrill). Shared so both resolve it the same way.
 */
export async function resolvePlan(
  loaded: LoadedPlaybook,
  engine: Engine,
  opts: { config: string | undefined; env: NodeJS.ProcessEnv },
): Promise<DrillPlan> {
  const allowedProjects = await loadAllowLists({ ...(opts.config !== undefined ? { configFile: opts.config } : {}), env: opts.env });
  const helperImage = opts.env['FIREDRILL_HELPER_IMAGE']?.trim();
  return planDrill({ playbook: loaded.playbook, file: loaded.file, sha256: loaded.sha256, project: loaded.project }, engine, {
    allowedProjects,
    ...(helperImage ? { helperImageOverride: helperImage } : {}),
  });
}
