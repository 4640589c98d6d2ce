import { resolve } from 'node:path';
import { createDockerEngine } from '../../engine/docker-engine.js';
import type { Engine } from '../../engine/ports.js';
import { messageOf, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { systemClock } from '../../run/clock.js';
import { acquireProjectLock, describeTakeover, lockFacts, lockImageOf, recoverLockTtlMs, type HeldLock } from '../../run/project-lock.js';
import { recoverRun } from '../../run/recover.js';
import { readRunState, runsWithPendingFaults, type RunState } from '../../run/run-journals.js';
import type { EventListener } from '../../run/events.js';
import type { CliIo } from '../io.js';
import { attachPlainLog } from '../ui/plain-log.js';

export interface RecoverOptions {
  project?: string;
  runsDir: string;
}

/**
 * `firedrill recover [<run-dir> | --project P]`: reverts whatever a crashed, killed or
 * incompletely rolled-back run left applied. Safe to run any number of times.
 */
export async function recoverCommand(runDir: string | undefined, opts: RecoverOptions, io: CliIo): Promise<number> {
  const runs = await findRuns(runDir, opts);
  if (runs.length === 0) return nothingToRecover(runDir, opts, io);
  const engine = createDockerEngine();
  await engine.ping();
  const lock = await lockProject(engine, runs, io);
  try {
    // Read again under the lock: a drill that was still running may have rolled back meanwhile.
    const fresh = await findRuns(runDir, opts);
    return fresh.length === 0 ? nothingToRecover(runDir, opts, io) : await recoverRuns(engine, fresh, lock, io);
  } finally {
    await lock?.release().catch((error: unknown) => {
      io.stderr.write(`firedrill: could not remove the project lock ${lock.name} (${messageOf(error)}); remove it with \`docker rm -f ${lock.name}\`\n`);
    });
  }
}

function nothingToRecover(runDir: string | undefined, opts: RecoverOptions, io: CliIo): number {
  io.stdout.write(`nothing to recover: no run ${runDir ? `in ${runDir}` : `of project ${opts.project} in ${opts.runsDir}`} left a fault applied\n`);
  return ExitCode.Passed;
}

/**
 * A recovery must not race a drill on the same project: it takes the project's lock, which a
 * live drill holds (refused, exit 3) and a killed one left behind (taken over). A project with
 * no container left needs no lock: no drill can run against it.
 */
async function lockProject(engine: Engine, runs: RunState[], io: CliIo): Promise<HeldLock | undefined> {
  const project = runs[0]!.project;
  const image = lockImageOf(await engine.listProjectContainers(project));
  if (image === undefined) return undefined;
  const pending = runs.reduce((count, run) => count + run.pending.length, 0);
  const lock = await acquireProjectLock(engine, { project, image, purpose: 'recover', ttlMs: recoverLockTtlMs(pending) });
  const takeover = describeTakeover(lock);
  if (takeover) io.stdout.write(`${takeover}\n`);
  return lock;
}

async function recoverRuns(engine: Engine, runs: RunState[], lock: HeldLock | undefined, io: CliIo): Promise<number> {
  // One plain log for every recovery in this process: lines on stdout, like CI output.
  let listen: EventListener | undefined;
  attachPlainLog((listener) => (listen = listener), (line) => io.stdout.write(`${line}\n`), { color: io.color(false) });
  let exitCode: number = ExitCode.Passed;
  for (const run of runs) {
    const outcome = await recoverRun(run, {
      engine,
      clock: systemClock,
      listen: (event) => listen?.(event),
      ...(lock ? { lock: lockFacts(lock) } : {}),
    });
    if (outcome.manual.length > 0) {
      io.stdout.write(`to finish by hand:\n${outcome.manual.map((command) => `  ${command}`).join('\n')}\n`);
    }
    if (outcome.exitCode !== ExitCode.Passed) exitCode = outcome.exitCode;
  }
  return exitCode;
}

async function findRuns(runDir: string | undefined, opts: RecoverOptions): Promise<RunState[]> {
  if (runDir && opts.project) throw new UsageError('give either a run directory or --project, not both');
  if (runDir) {
    const state = await readRunState(resolve(runDir)).catch((error: unknown) => {
      throw new UsageError(`${runDir} is not a readable run directory: ${messageOf(error)}`);
    });
    if (!state) throw new UsageError(`${runDir} holds no drill journal (journal.jsonl without a drill.started event)`);
    return state.pending.length > 0 ? [state] : [];
  }
  if (!opts.project) throw new UsageError('give a run directory (e.g. .firedrill/runs/<run-id>) or --project <compose project>');
  return runsWithPendingFaults(opts.runsDir, opts.project);
}
