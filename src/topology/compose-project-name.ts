import { basename, relative } from 'node:path';
import type { ProjectNameSource } from './compose-model.js';

/**
 * The project name compose gives a project, in compose's order: COMPOSE_PROJECT_NAME from the
 * environment, then from the project's `.env`, then the top-level `name:` (compose v2 only),
 * then the name of the compose file's directory — normalised as compose does.
 */

export interface ProjectNameInputs {
  /** The directory of the compose file. */
  dir: string;
  /** COMPOSE_PROJECT_NAME as the environment firedrill runs in has it. */
  fromEnvironment?: string;
  /** COMPOSE_PROJECT_NAME as the project's .env has it, and that file's path. */
  fromEnvFile?: { value: string; file: string };
  /** The resolved top-level `name:`; compose v1 does not read it. */
  nameKey?: string;
}

export function composeProjectNameOf(inputs: ProjectNameInputs): { project?: string; projectFrom: ProjectNameSource } {
  const candidates: [string | undefined, ProjectNameSource][] = [
    [inputs.fromEnvironment, { kind: 'environment' }],
    [inputs.fromEnvFile?.value, { kind: 'env-file', file: inputs.fromEnvFile?.file ?? '.env' }],
    [inputs.nameKey, { kind: 'name-key' }],
  ];
  for (const [value, projectFrom] of candidates) {
    // compose treats an empty value as not set.
    if (value !== undefined && value !== '') return withProject(normalisedProjectName(value), projectFrom);
  }
  return withProject(normalisedProjectName(basename(inputs.dir)), { kind: 'directory', dir: inputs.dir });
}

function withProject(project: string | undefined, projectFrom: ProjectNameSource): { project?: string; projectFrom: ProjectNameSource } {
  return project === undefined ? { projectFrom } : { project, projectFrom };
}

/** A name as a compose project name: lowercased, stripped to [a-z0-9_-], not starting with "_" or "-"; undefined when nothing is left. */
export function normalisedProjectName(name: string | undefined): string | undefined {
  const normalised = name
    ?.toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
  return normalised || undefined;
}

/** Where a project name came from, as the tail of "project shop (from …)". */
export function describeProjectSource(source: ProjectNameSource, composeFile: string): string {
  switch (source.kind) {
    case 'environment':
      return 'COMPOSE_PROJECT_NAME in the environment';
    case 'env-file':
      return `COMPOSE_PROJECT_NAME in ${relative(process.cwd(), source.file) || source.file}`;
    case 'name-key':
      return "the compose file's name: key";
    case 'directory':
      return `the directory name ${basename(source.dir)}`;
    default:
      return `the compose CLI's answer for ${basename(composeFile)}`;
  }
}
