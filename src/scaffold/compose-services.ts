import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ComposeModelService, ComposeReaderId, ProjectNameSource } from '../topology/compose-model.js';
import { readComposeModel, type ComposeReadOptions } from '../topology/compose-reader.js';

export type { ServiceMount } from '../topology/compose-model.js';

/**
 * What `firedrill init` needs to know about a compose project — per service, what it runs,
 * its environment, what it publishes, how it checks its own health, what it mounts and how
 * it is deployed — read as compose reads it, by the same reader `validate` and `plan` use
 * (topology/compose-reader.ts: the compose CLI when there is one, else the built-in reader).
 */

export type ScaffoldService = ComposeModelService;

export interface ComposeProject {
  /** Absolute path of the compose file. */
  file: string;
  /** Top-level `name:` as resolved, when set. */
  name?: string;
  /** The top-level `name:` as written, when it uses variables. */
  nameWritten?: string;
  /** Variables the top-level `name:` uses without a default that are not set here. */
  nameVariablesUnset?: string[];
  /** Whether the top-level `name:` took a variable's default. */
  nameDefaultTaken?: boolean;
  /** The project name compose gives the project (normalised); undefined when none can be derived. */
  project?: string;
  projectFrom: ProjectNameSource;
  services: ScaffoldService[];
  /** Variables the file uses without a default that are not set here (compose takes them as ""). */
  unsetVariables: string[];
  reader: ComposeReaderId;
}

/** The names compose itself looks for, in its order of preference. */
const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILE_NAMES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

/** The compose file compose would pick in `dir`; a UsageError naming the candidates when none is there. */
export async function findComposeFile(dir: string): Promise<string> {
  for (const name of COMPOSE_FILE_NAMES) {
    const file = join(dir, name);
    if (await exists(file)) return file;
  }
  throw new UsageError(
    `no compose file in ${dir} (looked for ${COMPOSE_FILE_NAMES.join(', ')}) — ` +
      'run firedrill init in the directory of your compose project, or name the file with --compose <file>',
  );
}

/** Override files next to the compose file: compose merges them in, init does not read them. */
export async function overrideFilesBeside(file: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of OVERRIDE_FILE_NAMES) if (await exists(join(dirname(file), name))) found.push(name);
  return found;
}

/** A UsageError when the file cannot be read or defines no services; an EnvironmentError when the compose CLI does not answer. */
export async function readComposeProject(file: string, options?: ComposeReadOptions): Promise<ComposeProject> {
  const read = await readComposeModel(resolve(file), options);
  if (!read.ok) throw new UsageError(`the compose file ${file} ${read.problem}${read.hint ? ` (${read.hint})` : ''}`);
  const { model } = read;
  if (model.services.length === 0) {
    throw new UsageError(
      `the compose file ${file} defines no services: there is nothing to drill — add services, or name another file with --compose <file>`,
    );
  }
  const project: ComposeProject = {
    file: model.file,
    projectFrom: model.projectFrom,
    services: model.services,
    unsetVariables: model.unsetVariables,
    reader: model.reader,
  };
  if (model.name !== undefined) project.name = model.name;
  for (const key of ['nameWritten', 'nameVariablesUnset', 'nameDefaultTaken'] as const)
    if (model[key] !== undefined) Object.assign(project, { [key]: model[key] });
  if (model.project !== undefined) project.project = model.project;
  return project;
}

/** Whether something is at `path` (a file or a directory). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
