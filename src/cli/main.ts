import { Command, CommanderError, Option } from 'commander';
import { FiredrillError, PlaybookError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_RUNS_DIR } from '../run/run-directory.js';
import { firedrillVersion } from '../version.js';
import { processIo, type CliIo } from './io.js';

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
    .action(async (file: string, opts: { runsDir: string; json: boolean; yes: boolean; planHash?: string; config?: string }) => {
      const { runCommand } = await import('./commands/run.js');
      setExit(await runCommand(file, opts, io));
    });

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
    .action(async (dir: string) => {
      const { reportCommand } = await import('./commands/report.js');
      setExit(await reportCommand(dir, io));
    });

  program
    .command('recover')
    .description('revert the faults a crashed or interrupted run left applied (safe to repeat)')
    .argument('[run-dir]', 'the run directory to recover')
    .option('--project <name>', 'recover every run of this compose project that left faults')
    .addOption(runsDir())
    .action(async (dir: string | undefined, opts: { project?: string; runsDir: string }) => {
      const { recoverCommand } = await import('./commands/recover.js');
      setExit(await recoverCommand(dir, opts, io));
    });

  program
    .command('demo')
    .description('bring up the bundled two-region demo topology and run the region-loss drill')
    .option('--down', 'tear the demo topology down instead', false)
    .addOption(new Option('--images <source>', 'build from the local base image or official images').choices(['local', 'official']).default('local'))
    .addOption(runsDir())
    .action(async (opts: { down: boolean; images: 'local' | 'official'; runsDir: string }) => {
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(opts, io));
    });

  return program;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander rejects is usage.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? ExitCode.Passed
      : ExitCode.Usage;
  }
  if (error instanceof PlaybookError) {
    io.stderr.write(`${error.message}\n${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} in the playbook; nothing was touched\n`);
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
