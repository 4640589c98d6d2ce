import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerInfo, ProjectDiscovery } from '../engine/ports.js';
import { DOCTOR_POINTER, EnvironmentError } from '../errors.js';
import { rememberComposeCommand } from './compose-command-name.js';

/**
 * Brings compose projects up and down through the compose command line (the `demo` command
 * and the Docker tests use it; drills themselves never do). Works with the compose v2 plugin
 * (`docker compose`) and the Python compose v1 (`docker-compose`), which has no `--wait`:
 * waiting is done here, by polling the engine.
 */

export interface ComposeCommand {
  argv: string[];
  version: string;
  flavour: 'v1' | 'v2';
}

export interface ComposeUpOptions {
  file: string;
  project: string;
  build?: boolean;
  env?: Record<string, string>;
  /** Wait until every container runs, and is healthy where it has a healthcheck. */
  wait?: boolean;
  /** Upper bound of the wait; 120 s by default. */
  waitTimeoutMs?: number;
  /** Engine to poll while waiting; the one DOCKER_HOST names by default. */
  engine?: ProjectDiscovery;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ComposeDownOptions {
  file: string;
  project: string;
  volumes?: boolean;
  onLine?: (line: string) => void;
}

const WAIT_POLL_MS = 500;
const OUTPUT_TAIL_LINES = 20;

let detected: Promise<ComposeCommand> | undefined;

/** Prefers the v2 plugin; falls back to v1. Detected once per process; messages then name the one found. */
export function detectCompose(): Promise<ComposeCommand> {
  detected ??= detect().catch((error: unknown) => {
    detected = undefined;
    throw error;
  });
  return detected;
}

// A compose that does not say its version in this time is as good as missing.
const DETECT_TIMEOUT_MS = 10_000;
const DETECT_OPTIONS = { reject: false, stdin: 'ignore', timeout: DETECT_TIMEOUT_MS, maxBuffer: 64 * 1024 } as const;

// execa and the Docker adapter are loaded where compose is run or waited for: importing this module
// (validate does, through the compose reader) costs neither.
/** What to install when no compose command answers; `firedrill doctor` gives the same advice. */
export const COMPOSE_INSTALL_ADVICE =
  'install the plugin (package docker-compose-plugin, or Docker Desktop) or docker-compose (apt-get install docker-compose)';

/** The compose commands that answer here, each with its version. */
export interface InstalledCompose {
  v2?: ComposeCommand;
  v1?: ComposeCommand;
}

/** Asks `docker compose` and `docker-compose` for their versions at once: each may take a second to start. */
export async function findComposeCommands(): Promise<InstalledCompose> {
  const { execa } = await import('execa');
  const [v2, v1] = await Promise.all([
    execa('docker', ['compose', 'version', '--short'], DETECT_OPTIONS),
    execa('docker-compose', ['version', '--short'], DETECT_OPTIONS),
  ]);
  const answered = (result: { exitCode?: number | undefined; stdout: unknown }) =>
    result.exitCode === 0 && String(result.stdout).trim() !== '';
  return {
    ...(answered(v2) ? { v2: { argv: ['docker', 'compose'], version: String(v2.stdout).trim(), flavour: 'v2' as const } } : {}),
    ...(answered(v1) ? { v1: { argv: ['docker-compose'], version: String(v1.stdout).trim(), flavour: 'v1' as const } } : {}),
  };
}

async function detect(): Promise<ComposeCommand> {
  const installed = await findComposeCommands();
  const chosen = installed.v2 ?? installed.v1;
  if (!chosen) {
    throw new EnvironmentError(
      'neither `docker compose` (the compose v2 plugin) nor `docker-compose` (v1) works here — ' +
        `${COMPOSE_INSTALL_ADVICE} ${DOCTOR_POINTER}`,
    );
  }
  rememberComposeCommand(chosen.argv);
  return chosen;
}

export async function composeUp(opts: ComposeUpOptions): Promise<void> {
  const args = ['up', '-d', ...(opts.build ? ['--build'] : [])];
  await runCompose(opts, args, `start compose project "${opts.project}"`);
  if (opts.wait) await waitUntilReady(opts);
}

export async function composeDown(opts: ComposeDownOptions): Promise<void> {
  const args = ['down', '--remove-orphans', ...(opts.volumes ? ['-v'] : [])];
  await runCompose(opts, args, `remove compose project "${opts.project}"`);
}

async function runCompose(
  opts: { file: string; project: string; env?: Record<string, string>; onLine?: (line: string) => void; signal?: AbortSignal },
  args: string[],
  doing: string,
): Promise<void> {
  const compose = await detectCompose();
  const [command, ...prefix] = compose.argv as [string, ...string[]];
  const { execa } = await import('execa');
  const tail: string[] = [];
  const onLine = function* (line: string) {
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    opts.onLine?.(line);
    yield line;
  };
  const result = await execa(command, [...prefix, '-f', opts.file, '-p', opts.project, ...args], {
    env: opts.env ?? {},
    reject: false,
    stdin: 'ignore',
    stdout: onLine,
    stderr: onLine,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
  });
  if (result.failed) {
    const why = result.isCanceled ? 'cancelled' : `exit code ${result.exitCode ?? result.signal ?? '?'}`;
    throw new EnvironmentError(
      `could not ${doing} with \`${compose.argv.join(' ')} -f ${opts.file} -p ${opts.project} ${args.join(' ')}\` (${why}):\n` +
        (tail.join('\n') || '(no output)'),
    );
  }
}

/** Polls until every container runs (and is healthy where it has a healthcheck), bounded. */
async function waitUntilReady(opts: ComposeUpOptions): Promise<void> {
  const engine = opts.engine ?? (await import('../engine/docker-engine.js')).createDockerEngine();
  const timeoutMs = opts.waitTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let containers: ContainerInfo[] = [];
  while (Date.now() < deadline) {
    containers = await engine.listProjectContainers(opts.project, { signal: opts.signal });
    if (containers.length > 0 && containers.every(isReady)) return;
    await sleep(WAIT_POLL_MS, undefined, { signal: opts.signal });
  }
  const waiting = containers.filter((container) => !isReady(container));
  const states = waiting.map((c) => `${c.name}: ${c.status}${c.health === 'none' ? '' : `, ${c.health}`}`).join('; ');
  throw new EnvironmentError(
    `compose project "${opts.project}" was not ready within ${timeoutMs / 1000}s (${states || 'no container found'}) — ` +
      `see \`docker logs <container>\` for why`,
  );
}

function isReady(container: ContainerInfo): boolean {
  return container.status === 'running' && (container.health === 'none' || container.health === 'healthy');
}
