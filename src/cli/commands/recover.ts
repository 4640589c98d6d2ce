import { resolve } from 'node:path';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { systemClock } from '../../run/clock.js';
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
  if (runs.length === 0) {
    io.stdout.write(`nothing to recover: no run ${runDir ? `in ${runDir}` : `of project ${opts.project} in ${opts.runsDir}`} left a fault applied\n`);
    return ExitCode.Passed;
  }
  const engine = createDockerEngine();
  await engine.ping();
  // One plain log for every recovery in this process: lines on stdout, like CI output.
  let listen: EventListener | undefined;
  attachPlainLog((listener) => (listen = listener), (line) => io.stdout.write(`${line}\n`), { color: io.color(false) });
  let exitCode: number = ExitCode.Passed;
  for (const run of runs) {
    const outcome = await recoverRun(run, { engine, clock: systemClock, listen: (event) => listen?.(event) });
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
      throw new UsageError(`${runDir} is not a readable run directory: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!state) throw new UsageError(`${runDir} holds no drill journal (journal.jsonl without a drill.started event)`);
    return state.pending.length > 0 ? [state] : [];
  }
  if (!opts.project) throw new UsageError('give a run directory (e.g. .firedrill/runs/<run-id>) or --project <compose project>');
  return runsWithPendingFaults(opts.runsDir, opts.project);
}
