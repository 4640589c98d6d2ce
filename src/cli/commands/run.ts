import { relative } from 'node:path';
import { createDockerEngine } from '../../engine/docker-engine.js';
import { JournalWriter } from '../../journal/writer.js';
import { loadPlaybook } from '../../playbook/load.js';
import { renderJson } from '../../report/json.js';
import { renderConsoleSummary } from '../../report/console.js';
import { writeReports } from '../../report/write-reports.js';
import { systemClock } from '../../run/clock.js';
import { runDrill } from '../../run/drill-runner.js';
import { EventBus } from '../../run/event-bus.js';
import { planDrill, type PlanOptions } from '../../run/plan.js';
import { createRunDirectory } from '../../run/run-directory.js';
import { runsWithPendingFaults } from '../../run/run-journals.js';
import { UnrecoveredRunError } from '../../errors.js';
import { firedrillVersion } from '../../version.js';
import { ExitCode } from '../../exit-codes.js';
import { abortOnSignals } from '../signals.js';
import { attachUi } from '../ui/attach.js';
import type { CliIo } from '../io.js';

export interface RunOptions {
  runsDir: string;
  json: boolean;
}

/**
 * `firedrill run <playbook>`: validate, plan against the engine, then run with a journal,
 * live progress and reports. Nothing is created or touched until the plan has resolved.
 */
export async function runCommand(file: string, opts: RunOptions, io: CliIo): Promise<number> {
  const loaded = await loadPlaybook(file);
  await refuseWhileFaultsRemain(loaded.project, opts.runsDir);
  const engine = createDockerEngine();
  const plan = await planDrill(
    { playbook: loaded.playbook, file: loaded.file, sha256: loaded.sha256, project: loaded.project },
    engine,
    helperImageFromEnv(),
  );
  const run = await createRunDirectory(opts.runsDir, loaded.playbook.name, loaded.source, systemClock.wallNow());

  const bus = new EventBus(systemClock);
  const journal = JournalWriter.open(run.journalPath);
  bus.subscribe((event) => journal.append(event));
  const ui = attachUi(bus, { mode: io.uiMode(opts.json), stdout: io.stdout, stderr: io.stderr, color: io.color(opts.json) });

  const interrupt = new AbortController();
  const stopSignals = abortOnSignals(interrupt, (line) => io.stderr.write(`firedrill: ${line}\n`), {
    recoverCommand: `firedrill recover ${relative(process.cwd(), run.dir) || '.'}`,
    exitNow: () => process.exit(ExitCode.RollbackIncomplete),
  });
  let exitCode: number;
  try {
    const outcome = await runDrill({
      plan,
      engine,
      clock: systemClock,
      bus,
      runId: run.runId,
      firedrillVersion,
      signal: interrupt.signal,
      ...(ui.prompter ? { prompter: ui.prompter } : {}),
    });
    exitCode = outcome.exitCode;
  } finally {
    stopSignals();
    journal.close();
    await ui.finish();
  }

  const { files, model } = await writeReports(run.dir);
  if (opts.json) {
    const result: unknown = JSON.parse(renderJson(model));
    io.stdout.write(JSON.stringify({ runDir: run.dir, reports: files, result }, null, 2) + '\n');
  } else {
    io.stdout.write(renderConsoleSummary(model, { color: io.color(false) }) + '\n');
    const shown = relative(process.cwd(), run.dir) || '.';
    io.stdout.write(`reports: ${files.map((f) => relative(process.cwd(), f)).join(', ')}\nrun directory: ${shown}\n`);
  }
  return exitCode;
}

/** A crashed or incompletely rolled-back run on this project must be recovered first. */
async function refuseWhileFaultsRemain(project: string, runsDir: string): Promise<void> {
  const unrecovered = await runsWithPendingFaults(runsDir, project);
  if (unrecovered.length === 0) return;
  const list = unrecovered.map((run) => `  ${run.runId}: ${run.pending.map((record) => `${record.ref} (${record.kind})`).join(', ')}`).join('\n');
  throw new UnrecoveredRunError(
    `an earlier run on project ${project} left faults that were never verified as reverted:\n${list}\n` +
      `Run \`firedrill recover --project ${project}\` first (add --runs-dir ${runsDir} if you use another runs directory).`,
  );
}

function helperImageFromEnv(): PlanOptions {
  const image = process.env['FIREDRILL_HELPER_IMAGE']?.trim();
  return image ? { helperImageOverride: image } : {};
}
