import { relative } from 'node:path';
// Host probes and actions load execa on first use (validate and schema import them and run
// nothing); a drill loads it here, before it starts, so no timed step waits for it.
import 'execa';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { JournalWriter } from '../../journal/writer.js';
import type { Engine } from '../../engine/ports.js';
import { loadPlaybook, type LoadedPlaybook } from '../../playbook/load.js';
import { renderJson } from '../../report/json.js';
import { renderConsoleSummary } from '../../report/console.js';
import { publishStepSummary } from '../../report/step-summary.js';
import { writeReports } from '../../report/write-reports.js';
import { systemClock } from '../../clock.js';
import { runDrill } from '../../run/drill-runner.js';
import { EventBus } from '../../run/event-bus.js';
import type { DrillPlan } from '../../plan/plan.js';
import { describePlan } from '../../plan/plan-document.js';
import { planHash, sameHash } from '../../plan/plan-hash.js';
import {
  acquireProjectLock,
  describeTakeover,
  drillLockTtlMs,
  lockFacts,
  lockImageOf,
  refuseIfProjectBusy,
  type HeldLock,
} from '../../lock/project-lock.js';
import { createRunDirectory } from '../../journal/run-directory.js';
import { chooseRegressionGate } from '../../history/baseline.js';
import { baselineChoiceText } from '../../sentences/regression-words.js';
import { runsToRecover } from '../../journal/run-journals.js';
import { unrecoveredRunText } from '../../recovery/recovery-words.js';
import { messageOf, ScopeError, UnrecoveredRunError } from '../../errors.js';
import { firedrillVersion } from '../../version.js';
import { ExitCode } from '../../exit-codes.js';
import { confirmRun, shouldConfirmRun } from '../confirm-run.js';
import { abortOnSignals } from '../signals.js';
import { attachUi } from '../ui/attach.js';
import { paintFor } from '../ui/paint.js';
import { renderPlanText } from '../ui/plan-text.js';
import { createTerminalPrompter } from '../ui/prompter.js';
import type { CliIo } from '../io.js';
import { resolvePlan } from './plan.js';

export interface RunOptions {
  runsDir: string;
  json: boolean;
  /** Skip the confirm prompt in a terminal. */
  yes?: boolean;
  /** Refuse unless the resolved plan has this hash (what `firedrill plan` printed). */
  planHash?: string;
  /** The config file with allowedProjects; firedrill.config.yaml in the working directory by default. */
  config?: string;
  /** The regression gate: fail when a recovery time is this many percent slower than the last passed run's. */
  maxRegression?: number;
}

/**
 * `firedrill run <playbook>`: validate, plan against the engine, check the plan hash, ask in a
 * terminal, take the project's lock, plan again under it, then run with a journal, live
 * progress and reports. Nothing is created or touched until the plan has resolved, been
 * confirmed, the lock is ours and the plan under the lock is the one confirmed.
 */
export async function runCommand(
  file: string,
  opts: RunOptions,
  io: CliIo,
  /** The engine to drill on; the Docker engine the environment names unless a test gives its own. */
  given?: Engine,
): Promise<number> {
  const loaded = await loadPlaybook(file);
  // After the playbook is read: an invalid playbook is reported as such, whatever the engine's address.
  const engine = given ?? createDockerEngine();
  const planOptions = { config: opts.config, env: io.env };
  // Faults in the journal of a drill that is still running are not a crash's leftovers.
  await refuseWhileFaultsRemain(loaded.project, opts.runsDir, () => refuseIfProjectBusy(engine, loaded.project));
  const plan = await resolvePlan(loaded, engine, planOptions);
  // A drill running now, from any machine or runs directory, is reported before its plan is
  // shown or approved: what that drill has done to the project is in what this plan measured.
  await refuseIfProjectBusy(engine, loaded.project);
  const approvedHash = await approve(plan, opts, io);
  if (approvedHash === undefined) {
    io.stderr.write('firedrill: not run — the drill was not confirmed; nothing was touched\n');
    return ExitCode.Aborted;
  }
  const lock = await acquireProjectLock(engine, {
    project: plan.topology.project,
    // Discovery found at least one container, so there is an image.
    image: lockImageOf(plan.topology.services.flatMap((service) => service.containers)) ?? '',
    purpose: 'run',
    playbook: loaded.playbook.name,
    ttlMs: drillLockTtlMs(loaded.playbook),
  });
  try {
    const takeover = describeTakeover(lock);
    if (takeover) io.stderr.write(`firedrill: ${takeover}\n`);
    // Again under the lock: a drill may have crashed since the first look.
    await refuseWhileFaultsRemain(loaded.project, opts.runsDir);
    // And planned again: the first plan's preflights measured the targets (the `before` values
    // reverts restore) before the lock was ours, maybe while another drill held the project,
    // maybe ten minutes ago at the prompt. The drill runs on what is measured now.
    const locked = await resolvePlan(loaded, engine, planOptions);
    refuseChangedPlan(approvedHash, planHash(locked));
    return await runLocked(loaded, locked, engine, lock, opts, io);
  } finally {
    // After the reports: the lock covers everything the run writes about the project.
    await lock.release().catch((error: unknown) => {
      io.stderr.write(
        `firedrill: could not remove the project lock ${lock.name} (${messageOf(error)}); ` +
          `it lapses at ${lock.holder.expiresAt}, or remove it with \`docker rm -f ${lock.name}\`\n`,
      );
    });
  }
}

/**
 * The plan hash given must match; in a terminal the person sees the plan and says yes.
 * Resolves the hash of the plan approved (shown, or resolved when nobody is asked), or
 * undefined when the person said no.
 */
async function approve(plan: DrillPlan, opts: RunOptions, io: CliIo): Promise<string | undefined> {
  const ask = shouldConfirmRun({
    yes: opts.yes === true,
    stdinIsTTY: Boolean(io.stdin.isTTY),
    stdoutIsTTY: Boolean(io.stdout.isTTY),
    env: io.env,
  });
  if (opts.planHash === undefined && !ask) return planHash(plan);
  const doc = describePlan(plan);
  if (opts.planHash !== undefined && !sameHash(opts.planHash, doc.planHash)) {
    throw new ScopeError(
      `the plan resolved now (hash ${doc.planHash}) is not the approved one (--plan-hash ${opts.planHash}): the playbook, ` +
        'a target container or what a fault would do has changed since it was planned — nothing was touched. ' +
        'Run `firedrill plan` again, review it, and pass the new hash.',
    );
  }
  if (!ask) return doc.planHash;
  // With --json, stdout carries the result document alone.
  const out = opts.json ? io.stderr : io.stdout;
  out.write(`${renderPlanText(doc, paintFor(io.color(opts.json)))}\n\n`);
  return (await confirmRun(createTerminalPrompter(io.stdin, out))) ? doc.planHash : undefined;
}

/** Under the lock, the plan must still be the one approved; else nothing is touched (the lock is released). */
function refuseChangedPlan(approved: string, now: string): void {
  if (now === approved) return;
  throw new ScopeError(
    `the plan resolved under the project's lock (hash ${now}) is not the one approved (hash ${approved}): a target container ` +
      'or what a fault would do changed between planning and taking the lock — nothing was touched. ' +
      'Run `firedrill plan` again, review it, and run the drill again.',
  );
}

async function runLocked(
  loaded: LoadedPlaybook,
  plan: DrillPlan,
  engine: Engine,
  lock: HeldLock,
  opts: RunOptions,
  io: CliIo,
): Promise<number> {
  // Chosen under the lock and before this run's directory exists: the latest run that passed, never this one.
  const regressionGate =
    opts.maxRegression === undefined
      ? undefined
      : await chooseRegressionGate(opts.runsDir, loaded.playbook.name, plan.topology.project, opts.maxRegression);
  if (regressionGate) io.stderr.write(`firedrill: ${baselineChoiceText(regressionGate)}\n`);
  const run = await createRunDirectory(opts.runsDir, loaded.playbook.name, loaded.source, systemClock.wallNow());

  const bus = new EventBus(systemClock);
  const journal = JournalWriter.open(run.journalPath);
  bus.subscribe((event) => journal.append(event));
  const ui = attachUi(bus, {
    mode: io.uiMode(opts.json),
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    color: io.color(opts.json),
  });

  const interrupt = new AbortController();
  const stopSignals = abortOnSignals(interrupt, (line) => io.stderr.write(`firedrill: ${line}\n`), {
    recoverCommand: `firedrill recover ${relative(io.cwd(), run.dir) || '.'}`,
    exitNow: () => io.exit(ExitCode.RollbackIncomplete),
    source: io.signals,
  });
  let exitCode: number;
  try {
    const outcome = await runDrill({
      plan,
      engine,
      clock: systemClock,
      bus,
      runId: run.runId,
      runDir: run.dir,
      firedrillVersion,
      signal: interrupt.signal,
      lock: lockFacts(lock),
      ...(regressionGate ? { regressionGate } : {}),
      ...(ui.prompter ? { prompter: ui.prompter } : {}),
    });
    exitCode = outcome.exitCode;
  } finally {
    stopSignals();
    journal.close();
    await ui.finish();
  }

  const { files, model } = await writeReports(run.dir);
  await publishStepSummary(io.env, model, (line) => io.stderr.write(`firedrill: ${line}\n`));
  if (opts.json) {
    const result: unknown = JSON.parse(renderJson(model));
    io.stdout.write(`${JSON.stringify({ runDir: run.dir, reports: files, result }, null, 2)}\n`);
  } else {
    io.stdout.write(`${renderConsoleSummary(model, paintFor(io.color(false)))}\n`);
    const shown = relative(io.cwd(), run.dir) || '.';
    io.stdout.write(`reports: ${files.map((f) => relative(io.cwd(), f)).join(', ')}\nrun directory: ${shown}\n`);
  }
  return exitCode;
}

/**
 * A crashed or incompletely rolled-back run on this project must be recovered first.
 * `unlessBusy` runs first when there are pending faults, to report a running drill as such.
 */
async function refuseWhileFaultsRemain(project: string, runsDir: string, unlessBusy?: () => Promise<void>): Promise<void> {
  const unrecovered = await runsToRecover(runsDir, project);
  if (unrecovered.length === 0) return;
  await unlessBusy?.();
  const list = unrecovered.map(unrecoveredRunText).join('\n');
  throw new UnrecoveredRunError(
    `an earlier run on project ${project} may have left faults applied (never verified as reverted):\n${list}\n` +
      `Run \`firedrill recover --project ${project}\` first (add --runs-dir ${runsDir} if you use another runs directory).`,
  );
}
