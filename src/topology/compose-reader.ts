import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { readComposeBuiltin, readProjectDotenv, type Environment } from './compose-builtin-reader.js';
import { detectCompose, type ComposeCommand } from './compose-cli.js';
import { readComposeWithCli, speaksJson } from './compose-config-cli.js';
import { interpolate } from './compose-interpolation.js';
import { serviceLimitProblem } from './compose-limits.js';
import type { ComposeModel, ComposeReaderId, ProjectNameSource } from './compose-model.js';
import { normaliseService } from './compose-normalise.js';
import { composeProjectNameOf, normalisedProjectName } from './compose-project-name.js';
import { isRecord } from './compose-records.js';
import { readComposeYaml } from './compose-yaml.js';

/**
 * The one way firedrill reads a compose project (validate, plan and init all come here):
 * the file is first read within fixed bounds by firedrill itself — so a huge or hostile file
 * is refused quickly and never handed to anything else — then resolved by the compose CLI
 * the user has, or by the built-in reader where there is none, and normalised to one model.
 *
 * FIREDRILL_COMPOSE_CLI=none chooses the built-in reader even where a compose CLI exists.
 */

export type ComposeModelResult = { ok: true; model: ComposeModel } | { ok: false; problem: string; hint?: string };

export interface ComposeReadOptions {
  /** The environment compose would run in; the process's by default. */
  environment?: Environment;
  /** 'auto': the compose CLI when one works here, else the built-in reader. Default: from FIREDRILL_COMPOSE_CLI, else 'auto'. */
  reader?: 'auto' | 'built-in';
  /** The compose CLI to ask instead of the one detected here (with reader 'auto'). */
  compose?: ComposeCommand;
}

export const COMPOSE_READER_VARIABLE = 'FIREDRILL_COMPOSE_CLI';

const cache = new Map<string, Promise<ComposeModelResult>>();

/** Reads a compose project; every way the file can be wrong comes back as a problem. Throws EnvironmentError when the compose CLI fails to answer. */
export async function readComposeModel(file: string, options: ComposeReadOptions = {}): Promise<ComposeModelResult> {
  const path = resolve(file);
  const environment = options.environment ?? process.env;
  const reader = options.reader ?? (environment[COMPOSE_READER_VARIABLE] === 'none' ? 'built-in' : 'auto');
  // Validating several playbooks that name one compose file asks compose once.
  const key = options.environment === undefined && options.compose === undefined ? await cacheKey(path, reader) : undefined;
  const cached = key === undefined ? undefined : cache.get(key);
  if (cached) return cached;
  const reading = readUncached(path, environment, reader, options.compose);
  if (key !== undefined) {
    cache.set(key, reading);
    reading.catch(() => cache.delete(key));
  }
  return reading;
}

async function readUncached(
  path: string,
  environment: Environment,
  reader: 'auto' | 'built-in',
  given: ComposeCommand | undefined,
): Promise<ComposeModelResult> {
  const written = await readComposeYaml(path);
  if (!written.ok) return written;
  const data = written.data;
  const services = isRecord(data) && isRecord(data.services) ? data.services : undefined;
  if (!isRecord(data) || (services === undefined && data.include === undefined))
    return { ok: false, problem: 'has no "services" mapping', hint: 'is this a compose file?' };
  const limit = serviceLimitProblem(Object.keys(services ?? {}));
  if (limit) return { ok: false, ...limit };
  const order = Object.keys(services ?? {});

  // A file that defines no service and includes nothing has nothing for compose to resolve
  // (and compose v1 misreads `services: {}` as an old-format file with a service "services").
  const nothingToResolve = order.length === 0 && data.include === undefined;
  const compose = reader === 'auto' && !nothingToResolve ? (given ?? (await installedCompose())) : undefined;
  const resolved = compose ? await throughCli(compose, path, environment, data.name) : await throughBuiltin(path, environment);
  if (!resolved.ok) return resolved;
  const afterLimit = serviceLimitProblem([...resolved.services.keys()]);
  if (afterLimit) return { ok: false, ...afterLimit };

  const dir = dirname(path);
  const model: ComposeModel = {
    file: path,
    projectFrom: resolved.projectFrom,
    services: inWrittenOrder(resolved.services, order).map(([name, spec]) => normaliseService(name, spec, dir)),
    reader: resolved.reader,
    unsetVariables: resolved.unset,
  };
  if (resolved.project !== undefined) model.project = resolved.project;
  if (resolved.nameKey !== undefined) model.name = resolved.nameKey;
  if (typeof data.name === 'string' && data.name.includes('$')) Object.assign(model, await nameVariables(data.name, dir, environment));
  return { ok: true, model };
}

interface Resolved {
  ok: true;
  services: Map<string, Record<string, unknown>>;
  project?: string;
  projectFrom: ProjectNameSource;
  nameKey?: string;
  reader: ComposeReaderId;
  unset: string[];
}

async function throughBuiltin(path: string, environment: Environment): Promise<Resolved | { ok: false; problem: string; hint?: string }> {
  const read = await readComposeBuiltin(path, environment);
  if (!read.ok) return read;
  const name = composeProjectNameOf(projectNameInputs(path, environment, read.envFile, read.nameKey));
  return {
    ok: true,
    services: read.services,
    ...name,
    ...(read.nameKey === undefined ? {} : { nameKey: read.nameKey }),
    reader: { kind: 'built-in' },
    unset: read.unset,
  };
}

async function throughCli(
  compose: ComposeCommand,
  path: string,
  environment: Environment,
  writtenName: unknown,
): Promise<Resolved | { ok: false; problem: string; hint?: string }> {
  const read = await readComposeWithCli(compose, path, environment);
  if (!read.ok) return read;
  // What compose read the project name from, explained by the same rules the built-in reader follows.
  const envFile = await readProjectDotenv(dirname(path), environment).catch(() => ({}));
  const v2 = speaksJson(compose);
  const nameKey = v2 && typeof writtenName === 'string' ? interpolatedName(writtenName, environment, envFile) : undefined;
  const ours = composeProjectNameOf(projectNameInputs(path, environment, envFile, nameKey));
  const project = v2 ? normalisedProjectName(read.name) : ours.project;
  const projectFrom: ProjectNameSource = project === ours.project ? ours.projectFrom : { kind: 'compose-cli' };
  const reader: ComposeReaderId = { kind: 'cli', command: compose.argv.join(' '), version: compose.version };
  return {
    ok: true,
    services: read.services,
    projectFrom,
    ...(project === undefined ? {} : { project }),
    ...(nameKey === undefined ? {} : { nameKey }),
    reader,
    unset: read.unset,
  };
}

function projectNameInputs(path: string, environment: Environment, envFile: Record<string, string>, nameKey: string | undefined) {
  const fromEnvFile = Object.hasOwn(envFile, 'COMPOSE_PROJECT_NAME')
    ? { value: envFile.COMPOSE_PROJECT_NAME!, file: join(dirname(path), '.env') }
    : undefined;
  return {
    dir: dirname(path),
    ...(environment.COMPOSE_PROJECT_NAME === undefined ? {} : { fromEnvironment: environment.COMPOSE_PROJECT_NAME }),
    ...(fromEnvFile ? { fromEnvFile } : {}),
    ...(nameKey === undefined ? {} : { nameKey }),
  };
}

/** How the top-level `name:` depends on variables, for a caller that must not guess a project name. */
async function nameVariables(written: string, dir: string, environment: Environment): Promise<Partial<ComposeModel>> {
  const envFile = await readProjectDotenv(dir, environment).catch(() => ({}) as Record<string, string>);
  try {
    const { unset, defaulted } = interpolate(
      written,
      (name) => environment[name] ?? (Object.hasOwn(envFile, name) ? envFile[name] : undefined),
    );
    return { nameWritten: written, nameDefaultTaken: defaulted.length > 0, ...(unset.length > 0 ? { nameVariablesUnset: unset } : {}) };
  } catch {
    return { nameWritten: written };
  }
}

function interpolatedName(written: string, environment: Environment, envFile: Record<string, string>): string | undefined {
  try {
    return interpolate(written, (name) => environment[name] ?? (Object.hasOwn(envFile, name) ? envFile[name] : undefined)).text;
  } catch {
    return undefined;
  }
}

/** Services in the order the compose file writes them; those it does not write (included ones) after, by name. */
function inWrittenOrder(services: Map<string, Record<string, unknown>>, order: string[]): [string, Record<string, unknown>][] {
  const position = new Map(order.map((name, index) => [name, index]));
  return [...services].sort(([a], [b]) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The compose CLI, or undefined when none works here (the built-in reader is used then). */
async function installedCompose(): Promise<ComposeCommand | undefined> {
  try {
    return await detectCompose();
  } catch (error) {
    if (error instanceof EnvironmentError) return undefined;
    throw error;
  }
}

/** The file and its .env as they are now: a changed file is read again. */
async function cacheKey(path: string, reader: string): Promise<string> {
  const stamp = async (file: string) => {
    try {
      const info = await stat(file);
      return `${info.size}:${info.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return [path, reader, await stamp(path), await stamp(join(dirname(path), '.env')), basename(path)].join('|');
}
