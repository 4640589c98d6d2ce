import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDockerEngine } from '../../engine/docker-engine.js';
import type { ContainerInfo, Engine, OwnContainers } from '../../engine/ports.js';
import { messageOf, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { systemClock } from '../../run/clock.js';
import type { EventListener } from '../../run/events.js';
import { sweepLeftoverHelpers, sweepStaleLocks, type LeftoverSweep } from '../../run/leftovers.js';
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
} from '../../run/project-lock.js';
import { recoverRun } from '../../run/recover.js';
import { damagedRunAdvice, damageSummary } from '../../run/recovery-words.js';
import { readRunState, runsToRecover, type RunState } from '../../run/run-journals.js';
import type { CliIo } from '../io.js';
import { attachPlainLog } from '../ui/plain-log.js';

export interface RecoverOptions {
  project?: string;
  runsDir: string;
}

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
}

/**
 * `firedrill recover [<run-dir> | --project P]`: reverts whatever a crashed, killed or
 * incompletely rolled-back run left applied, and removes what firedrill itself left on the
 * project (a helper container never started, a stale lock or takeover marker). It says what it
 * removed, what it could not read, and never calls a project clean while a run's journal cannot
 * be read whole. Safe to run any number of times.
 */
export async function recoverCommand(runDir: string | undefined, opts: RecoverOptions, io: CliIo): Promise<number> {
  const scope = await findRuns(runDir, opts);
  const engine = createDockerEngine();
  await engine.ping();
  const project = scope.project;
  const containers = project === null ? [] : await engine.listProjectContainers(project);
  const image = lockImageOf(containers);

  let lock: HeldLock | undefined;
  if (project !== null && image !== undefined) {
    // A live firedrill holds the project and there is nothing to revert: whatever it made is its own.
    const holder = scope.runs.every((run) => run.pending.length === 0) ? await lockHolderInForce(engine, project) : undefined;
    if (holder) {
      io.stdout.write(`the lock of project ${project} is held by ${describeHolder(holder)}, which is still at work: its lock and helper containers are left as they are\n`);
      return reportUnreadable(scope, io, false);
    }
    lock = await acquireProjectLock(engine, { project, image, purpose: 'recover', ttlMs: recoverLockTtlMs(countPending(scope.runs)) });
    const takeover = describeTakeover(lock);
    if (takeover) io.stdout.write(`${takeover}\n`);
  }
  try {
    const swept = project === null ? false : await sweepLeftovers(engine, project, containers, lock, io);
    // Read again under the lock: a drill that was still running may have rolled back meanwhile.
    const fresh = lock ? await findRuns(runDir, opts) : scope;
    const exitCode = await recoverRuns(engine, fresh.runs, lock, io);
    const incomplete = reportUnreadable(fresh, io, swept || Boolean(lock?.tookOver) || countPending(fresh.runs) > 0);
    return exitCode !== ExitCode.Passed ? exitCode : incomplete;
  } finally {
    await lock?.release().then(
      () => {
        if (lock?.tookOver) io.stdout.write(`the stale lock ${lock.name} is gone: taken over from its dead holder, then released\n`);
      },
      (error: unknown) => {
        io.stderr.write(`firedrill: could not remove the project lock ${lock.name} (${messageOf(error)}); remove it with \`docker rm -f ${lock.name}\`\n`);
      },
    );
  }
}

function countPending(runs: readonly RunState[]): number {
  return runs.reduce((count, run) => count + run.pending.length, 0);
}

/**
 * Removes the helpers and lock markers firedrill left on the project, saying what each was.
 * Resolves true when there was anything to say.
 */
async function sweepLeftovers(engine: Engine & OwnContainers, project: string, containers: readonly ContainerInfo[], lock: HeldLock | undefined, io: CliIo): Promise<boolean> {
  const env = processLockEnvironment();
  const names = new Map(containers.map((c) => [c.id, c.name]));
  const helpers = await sweepLeftoverHelpers(engine, project, new Set(containers.map((c) => c.id)), names, env);
  // Without a lock of ours the project has no container, and no drill can take its lock: a stale one goes too.
  const locks = await sweepStaleLocks(engine, project, env, lock?.name);
  const sweeps: LeftoverSweep[] = [helpers, locks];
  const lines = [
    ...sweeps.flatMap((sweep) => sweep.removed.map((c) => `removed ${c.what}: container ${c.id.slice(0, 12)}`)),
    ...sweeps.flatMap((sweep) => sweep.kept.map((c) => `left ${c.what} (container ${c.id.slice(0, 12)}): ${c.why}`)),
  ];
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  return lines.length > 0;
}

async function recoverRuns(engine: Engine, runs: RunState[], lock: HeldLock | undefined, io: CliIo): Promise<number> {
  // One plain log for every recovery in this process: lines on stdout, like CI output.
  let listen: EventListener | undefined;
  attachPlainLog((listener) => (listen = listener), (line) => io.stdout.write(`${line}\n`), { color: io.color(false) });
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
    lines.push(`could not read all of run ${run.runId} (${run.dir}): ${damageSummary(run.unreadable)} — ${reverted}it is not known to be clean.`);
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
  if (runDir && opts.project) throw new UsageError('give either a run directory or --project, not both');
  if (runDir) {
    const dir = resolve(runDir);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`${runDir} is not a run directory — give the directory of a drill run (e.g. .firedrill/runs/<run-id>), or --project`);
    const state = await readRunState(dir);
    if (!state) throw new UsageError(`${runDir} holds no drill journal (its journal.jsonl is missing or empty, so the run applied nothing)`);
    const needed = state.pending.length > 0 || state.unreadable.length > 0;
    return { project: state.project, runs: needed ? [state] : [], unattributed: [], where: `in ${runDir}`, runsDir: undefined };
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
