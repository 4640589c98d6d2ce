import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDockerEngine } from '../../engine/docker-engine.js';
import type { ContainerInfo, ContainerProjects, Engine, OwnContainers } from '../../engine/ports.js';
import { messageOf, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { systemClock } from '../../clock.js';
import type { EventListener } from '../../journal/events.js';
import { sweepLeftoverHelpers, sweepStaleLocks, type LeftoverSweep } from '../../recovery/leftovers.js';
import {
  acquireProjectLock,
  describeHolder,
  describeTakeover,
  lockFacts,
  lockHolderInForce,
  lockImageOf,
  processLockEnvironment,
  recoverLockTtlMs,
  type HeldLock,
} from '../../lock/project-lock.js';
import { recoverRun } from '../../recovery/recover.js';
import { projectOfRun } from '../../recovery/run-project.js';
import { damagedRunAdvice, damageSummary } from '../../recovery/recovery-words.js';
import { readRunState, runsToRecover, type RunState } from '../../journal/run-journals.js';
import type { CliIo } from '../io.js';
import { attachPlainLog } from '../ui/plain-log.js';

export interface RecoverOptions {
  /** With a run directory: the project that run was against, for a run whose journal cannot say. */
  project?: string;
  runsDir: string;
}

/** What `recover` asks of the engine. */
export type RecoverEngine = Engine & OwnContainers & ContainerProjects;

/** The runs a recovery is about, and the project they are of (null: a run whose journal does not say). */
interface RecoveryScope {
  project: string | null;
  /** Runs of the project that left faults applied or cannot be read whole. */
  runs: RunState[];
  /** Damaged runs whose journals do not say which project they were against (with --project only). */
  unattributed: RunState[];
  /** Where the runs were looked for, for messages. */
  where: string;
  runsDir: string | undefined;
  /** The run named by its directory (`recover <run-dir>`), whether or not it needs recovery. */
  named?: RunState;
}

/**
 * `firedrill recover [<run-dir> [--project P] | --project P]`: reverts whatever a crashed,
 * killed or incompletely rolled-back run left applied, holding the project's lock, and then
 * removes what firedrill itself left on the project (a helper container never started, a stale
 * lock or takeover marker). Faults come first: a leftover holds no fault, so one the engine
 * will not remove is reported and never stands in the way of a revert. It says what it removed,
 * what it could not read, and never calls a project clean while a run's journal cannot be read
 * whole. Safe to run any number of times.
 */
export async function recoverCommand(
  runDir: string | undefined,
  opts: RecoverOptions,
  io: CliIo,
  engine: RecoverEngine = createDockerEngine(),
): Promise<number> {
  const scope = await findRuns(runDir, opts);
  await engine.ping();
  const project = await projectOfScope(scope, engine, opts.project);
  const containers = project === null ? [] : await engine.listProjectContainers(project);
  const image = lockImageOf(containers);

  let lock: HeldLock | undefined;
  if (project !== null && image !== undefined) {
    // A live firedrill holds the project and there is nothing to revert: whatever it made is its own.
    const holder = scope.runs.every((run) => run.pending.length === 0) ? await lockHolderInForce(engine, project) : undefined;
    if (holder) {
      io.stdout.write(
        `the lock of project ${project} is held by ${describeHolder(holder)}, which is still at work: its lock and helper containers are left as they are\n`,
      );
      return reportUnreadable(scope, io, false);
    }
    lock = await acquireProjectLock(engine, { project, image, purpose: 'recover', ttlMs: recoverLockTtlMs(countPending(scope.runs)) });
    const takeover = describeTakeover(lock);
    if (takeover) io.stdout.write(`${takeover}\n`);
  }
  try {
    // Read again under the lock: a drill that was still running may have rolled back meanwhile.
    const fresh = lock ? await findRuns(runDir, opts) : scope;
    const exitCode = await recoverRuns(engine, withProject(fresh.runs, project), lock, io);
    const swept = project === null ? false : await sweepLeftovers(engine, project, containers, lock, io);
    const incomplete = reportUnreadable(fresh, io, swept || Boolean(lock?.tookOver) || countPending(fresh.runs) > 0);
    return exitCode !== ExitCode.Passed ? exitCode : incomplete;
  } finally {
    await lock?.release().then(
      () => {
        if (lock?.tookOver) io.stdout.write(`the stale lock ${lock.name} is gone: taken over from its dead holder, then released\n`);
      },
      (error: unknown) => {
        io.stderr.write(
          `firedrill: could not remove the project lock ${lock.name} (${messageOf(error)}); remove it with \`docker rm -f ${lock.name}\`\n`,
        );
      },
    );
  }
}

/**
 * The project whose lock the recovery holds. `recover <run-dir>` of a run whose journal does
 * not say it establishes it from the run's fault records (run-project.ts) before anything is
 * reverted; a run with nothing to revert and no project named cleans no project.
 */
async function projectOfScope(scope: RecoveryScope, engine: ContainerProjects, explicit: string | undefined): Promise<string | null> {
  const run = scope.named;
  if (!run) return scope.project;
  if (run.project === null && run.pending.length === 0 && explicit === undefined) return null;
  return projectOfRun(run, engine, explicit);
}

/** Runs whose journals do not say their project, as runs of the project established for them. */
function withProject(runs: readonly RunState[], project: string | null): RunState[] {
  return runs.map((run) => (run.project === null && project !== null ? { ...run, project } : run));
}

function countPending(runs: readonly RunState[]): number {
  return runs.reduce((count, run) => count + run.pending.length, 0);
}

/**
 * Removes the helpers and lock markers firedrill left on the project, saying what each was.
 * What the engine would not list or remove is said on stderr with its answer and the command
 * to finish by hand; it does not change the exit code: none of it holds a fault (a helper
 * left behind was never started; a stale lock is taken over by the next run).
 * Resolves true when there was anything to say.
 */
async function sweepLeftovers(
  engine: RecoverEngine,
  project: string,
  containers: readonly ContainerInfo[],
  lock: HeldLock | undefined,
  io: CliIo,
): Promise<boolean> {
  const env = processLockEnvironment();
  const names = new Map(containers.map((c) => [c.id, c.name]));
  const problems: string[] = [];
  const sweep = async (what: string, run: () => Promise<LeftoverSweep>): Promise<LeftoverSweep> =>
    run().catch((error: unknown) => {
      problems.push(
        `could not look for ${what} left on project ${project}: ${messageOf(error)} — run \`firedrill recover\` again once the engine answers`,
      );
      return { removed: [], kept: [], failed: [] };
    });
  const helpers = await sweep('helper containers', () =>
    sweepLeftoverHelpers(engine, project, new Set(containers.map((c) => c.id)), names, env),
  );
  // Without a lock of ours the project has no container, and no drill can take its lock: a stale one goes too.
  const locks = await sweep('stale locks', () => sweepStaleLocks(engine, project, env, lock?.name));
  const sweeps: LeftoverSweep[] = [helpers, locks];
  const lines = [
    ...sweeps.flatMap((s) => s.removed.map((c) => `removed ${c.what}: container ${c.id.slice(0, 12)}`)),
    ...sweeps.flatMap((s) => s.kept.map((c) => `left ${c.what} (container ${c.id.slice(0, 12)}): ${c.why}`)),
  ];
  problems.push(
    ...sweeps.flatMap((s) =>
      s.failed.map(
        (c) =>
          `could not remove ${c.what} (container ${c.id.slice(0, 12)}): ${c.error} — remove it with \`docker rm -f ${c.id.slice(0, 12)}\``,
      ),
    ),
  );
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  if (problems.length > 0) io.stderr.write(`${problems.map((line) => `firedrill: ${line}`).join('\n')}\n`);
  return lines.length > 0 || problems.length > 0;
}

async function recoverRuns(engine: Engine, runs: RunState[], lock: HeldLock | undefined, io: CliIo): Promise<number> {
  // One plain log for every recovery in this process: lines on stdout, like CI output.
  let listen: EventListener | undefined;
  attachPlainLog(
    (listener) => (listen = listener),
    (line) => io.stdout.write(`${line}\n`),
    { color: io.color(false) },
  );
  let exitCode: number = ExitCode.Passed;
  // A run with nothing readable to revert gets no recovery journal: there is nothing to record doing.
  for (const run of runs.filter((r) => r.pending.length > 0)) {
    const outcome = await recoverRun(run, {
      engine,
      clock: systemClock,
      listen: (event) => listen?.(event),
      ...(lock ? { lock: lockFacts(lock) } : {}),
    });
    if (outcome.manual.length > 0) {
      io.stdout.write(`to finish by hand:\n${outcome.manual.map((command) => `  ${command}`).join('\n')}\n`);
    }
    if (outcome.unverified.length > 0) exitCode = ExitCode.RollbackIncomplete;
  }
  return exitCode;
}

/**
 * Says which runs could not be read whole and what to do, and that the project is clean when
 * it is. Returns the exit code this part calls for: rollback incomplete while any run may
 * still have a fault applied that its journal cannot show.
 */
function reportUnreadable(scope: RecoveryScope, io: CliIo, saidSomething: boolean): number {
  const damaged = scope.runs.filter((run) => run.unreadable.length > 0);
  const lines: string[] = [];
  for (const run of damaged) {
    const reverted = run.pending.length > 0 ? 'every fault record that could be read was reverted above, but ' : '';
    lines.push(
      `could not read all of run ${run.runId} (${run.dir}): ${damageSummary(run.unreadable)} — ${reverted}it is not known to be clean.`,
    );
  }
  if (damaged.length > 0) lines.push(damagedRunAdvice(scope.runsDir, scope.project));
  for (const run of scope.unattributed) {
    lines.push(
      `could not tell which project run ${run.runId} (${run.dir}) was against: ${damageSummary(run.unreadable)}. ` +
        `If it ran against ${scope.project}, recover it with \`firedrill recover ${run.dir}\`; once it is known to be clean, move it out of ${scope.runsDir} (keep it as a record).`,
    );
  }
  if (lines.length > 0) {
    io.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.RollbackIncomplete;
  }
  if (scope.runs.every((run) => run.pending.length === 0)) {
    io.stdout.write(`${saidSomething ? 'and' : 'nothing to recover:'} no run ${scope.where} left a fault applied\n`);
  }
  return ExitCode.Passed;
}

async function findRuns(runDir: string | undefined, opts: RecoverOptions): Promise<RecoveryScope> {
  if (runDir) {
    const dir = resolve(runDir);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory())
      throw new UsageError(
        `${runDir} is not a run directory — give the directory of a drill run (e.g. .firedrill/runs/<run-id>), or --project`,
      );
    const state = await readRunState(dir);
    if (!state)
      throw new UsageError(`${runDir} holds no drill journal (its journal.jsonl is missing or empty, so the run applied nothing)`);
    const needed = state.pending.length > 0 || state.unreadable.length > 0;
    return {
      project: state.project,
      runs: needed ? [state] : [],
      unattributed: [],
      where: `in ${runDir}`,
      runsDir: undefined,
      named: state,
    };
  }
  if (!opts.project) throw new UsageError('give a run directory (e.g. .firedrill/runs/<run-id>) or --project <compose project>');
  const runs = await runsToRecover(opts.runsDir, opts.project);
  return {
    project: opts.project,
    runs: runs.filter((run) => run.project !== null),
    unattributed: runs.filter((run) => run.project === null),
    where: `of project ${opts.project} in ${opts.runsDir}`,
    runsDir: opts.runsDir,
  };
}
