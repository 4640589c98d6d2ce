import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FiredrillError, PlaybookError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_RUNS_DIR } from '../journal/run-directory.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { firedrillVersion } from '../version.js';
import { processIo, type CliIo } from './io.js';
import type { ReportOptions } from './commands/report.js';

/**
 * The command line. It only wires commands (each loaded lazily from commands/) and is the ONE
 * place that turns errors into messages and exit codes.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.Passed;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('firedrill')
    .description('Disaster-recovery drills against docker-compose topologies, with measured recovery times.')
    .version(firedrillVersion)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run firedrill --help for usage)');

  const runsDir = () => new Option('--runs-dir <dir>', 'where runs are kept').default(DEFAULT_RUNS_DIR);
  const config = () => new Option('--config <file>', 'config file with allowedProjects (default: firedrill.config.yaml here, if any)');

  program
    .command('run')
    .description('run a drill playbook against its compose project')
    .argument('<playbook>', 'playbook YAML file')
    .addOption(runsDir())
    .option('--json', 'print one JSON result document on stdout', false)
    .option('-y, --yes', 'do not ask for confirmation in a terminal', false)
    .option('--plan-hash <hash>', 'refuse to run unless the resolved plan has this hash (from firedrill plan)')
    .addOption(config())
    .option(
      '--max-regression <percent>',
      'fail when a recovery time is this many percent slower than in the last run of the playbook that passed',
      parsePercent,
    )
    .action(
      async (
        file: string,
        opts: { runsDir: string; json: boolean; yes: boolean; planHash?: string; config?: string; maxRegression?: number },
      ) => {
        const { runCommand } = await import('./commands/run.js');
        setExit(await runCommand(file, opts, io));
      },
    );

  program
    .command('plan')
    .description('show exactly what a run would do, resolved against the engine, and its plan hash; touches nothing')
    .argument('<playbook>', 'playbook YAML file')
    .option('--json', 'print the plan as one JSON document', false)
    .addOption(config())
    .action(async (file: string, opts: { json: boolean; config?: string }) => {
      const { planCommand } = await import('./commands/plan.js');
      setExit(await planCommand(file, opts, io));
    });

  program
    .command('validate')
    .description('check playbooks and report every problem with its line and column')
    .argument('<playbooks...>', 'playbook YAML files')
    .option('--json', 'print the findings as JSON', false)
    .action(async (files: string[], opts: { json: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      setExit(await validateCommand(files, { json: opts.json, out: (s) => io.stdout.write(s) }));
    });

  program
    .command('schema')
    .description('print the playbook JSON Schema (draft-7), for editors')
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      setExit(await schemaCommand({ out: (s) => io.stdout.write(s) }));
    });

  program
    .command('report')
    .description("regenerate a run's reports from its journal")
    .argument('<run-dir>', 'a run directory (holding journal.jsonl)')
    .addOption(new Option('--format <format>', 'which report to write').choices([...REPORT_FORMATS, 'all']).default('all'))
    .addOption(
      new Option('--audience <audience>', 'customer (redacted) or engineering (with the technical appendix)')
        .choices(['customer', 'engineering', 'all'])
        .default('all'),
    )
    .option('--compare <other-run-dir>', 'show what got better or worse against another run, instead of writing reports')
    .option('--json', 'with --compare: print the comparison as JSON', false)
    .action(async (dir: string, opts: ReportOptions) => {
      const { reportCommand } = await import('./commands/report.js');
      setExit(await reportCommand(dir, opts, io));
    });

  program
    .command('history')
    .description('list past runs with their verdicts and recovery times; --trend shows how recovery times move over runs')
    .addOption(runsDir())
    .option('--playbook <name>', 'only runs of this playbook (its name:)')
    .option('--limit <n>', 'only the last n runs', parseCount)
    .option('--json', 'print the runs (and trends) as one JSON document', false)
    .option('--trend', 'per playbook and objective, recovery time over runs as a sparkline with min, median, last and target', false)
    .option('--html <file>', 'write the trends as a self-contained HTML page with a chart per objective')
    .action(async (opts: { runsDir: string; playbook?: string; limit?: number; json: boolean; trend: boolean; html?: string }) => {
      const { historyCommand } = await import('./commands/history.js');
      setExit(await historyCommand(opts, io));
    });

  program
    .command('recover')
    .description('revert the faults a crashed or interrupted run left applied (safe to repeat)')
    .argument('[run-dir]', 'the run directory to recover')
    .option(
      '--project <name>',
      'recover every run of this compose project that left faults; with a run directory, the project that run was against, when its journal cannot say',
    )
    .addOption(runsDir())
    .action(async (dir: string | undefined, opts: { project?: string; runsDir: string }) => {
      const { recoverCommand } = await import('./commands/recover.js');
      setExit(await recoverCommand(dir, opts, io));
    });

  program
    .command('doctor')
    .description('check that this machine and its engine can run drills, and say what to do about each miss')
    .addOption(runsDir())
    .option('--json', 'print the checks as one JSON document', false)
    .action(async (opts: { runsDir: string; json: boolean }) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      setExit(await doctorCommand(opts, io));
    });

  program
    .command('demo')
    .description('bring up the bundled two-region demo topology and run the region-loss drill')
    .option('--down', 'tear the demo topology down instead', false)
    .addOption(
      new Option('--images <source>', 'build from the local base image or official images').choices(['local', 'official']).default('local'),
    )
    .addOption(runsDir())
    .action(async (opts: { down: boolean; images: 'local' | 'official'; runsDir: string }) => {
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(opts, io));
    });

  program
    .command('init')
    .description('scaffold starter playbooks and CI for the compose project here, from its compose file (no Docker needed)')
    .option('--compose <file>', 'the compose file (default: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml in --dir)')
    .option('--project <name>', "compose project name (default: the compose file's name:, else its directory's name)")
    .option('--dir <dir>', 'where to write drills/ and the CI files', '.')
    .option('--force', 'overwrite files that exist', false)
    .addOption(
      new Option(
        '--ci <system>',
        'CI files to write (default: gitlab when there is a .gitlab-ci.yml, both when there is also .github/, else github)',
      ).choices(['github', 'gitlab', 'both', 'none']),
    )
    .option('--region-label <label>', 'the service label that names regions (default: firedrill.region)')
    .option(
      '--cache <service>',
      'a service that is only a cache and may be emptied, whatever it looks like (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      async (opts: {
        compose?: string;
        project?: string;
        dir: string;
        force: boolean;
        ci?: 'github' | 'gitlab' | 'both' | 'none';
        regionLabel?: string;
        cache?: string[];
      }) => {
        const { initCommand } = await import('./commands/init.js');
        setExit(await initCommand(opts, io));
      },
    );

  return program;
}

/**
 * `--max-regression 20`, `12.5` or `20%`: a percentage of 0 or more in plain decimal digits.
 * Number() alone would also take "0x10", "1e3" and "Infinity".
 */
function parsePercent(value: string): number {
  const written = value.trim();
  if (!/^\d+(\.\d+)?%?$/.test(written))
    throw new InvalidArgumentError(
      'give a percentage of 0 or more, e.g. 20 or 20%. Only decimal digits are read (12.5 is one; 0x10 and 1e3 are not).',
    );
  return Number(written.replace(/%$/, ''));
}

/** A whole number of at least 1. */
function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of 1 or more.');
  return n;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander rejects is usage.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? ExitCode.Passed
      : ExitCode.Usage;
  }
  if (error instanceof PlaybookError) {
    io.stderr.write(
      `${error.message}\n${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} in the playbook; nothing was touched\n`,
    );
    return error.exitCode;
  }
  if (error instanceof FiredrillError) {
    io.stderr.write(`firedrill: ${error.message}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`firedrill: internal error — please report it with this output\n${detail}\n`);
  return ExitCode.Internal;
}
