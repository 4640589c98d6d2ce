import { basename, dirname } from 'node:path';
import type { ComposeModel, ProjectNameSource } from '../topology/compose-model.js';
import { normalisedProjectName } from '../topology/compose-project-name.js';
import { readComposeModel, type ComposeReadOptions } from '../topology/compose-reader.js';

/**
 * What a playbook check needs of its compose file: the services it defines and their labels
 * (so regions given by a label are known before Docker is asked), and the project name
 * compose gives it. The file is read as compose reads it (topology/compose-reader.ts):
 * `.env`, interpolation, `extends`, `include`, anchors and merge keys all apply.
 */

export interface ComposeService {
  name: string;
  labels: Record<string, string>;
}

export interface ComposeFile {
  /** Absolute path it was read from. */
  path: string;
  /** Top-level `name:` as resolved, when the file sets one. */
  name?: string;
  /** The project name compose gives the project (normalised); undefined when none can be derived. */
  project?: string;
  projectFrom?: ProjectNameSource;
  services: ComposeService[];
}

/** `problem` completes a sentence that starts with the file's name: "… does not exist". */
export type ComposeFileResult = { ok: true; compose: ComposeFile } | { ok: false; problem: string; hint?: string };

/** Reads and resolves a compose file; every way the file can be wrong comes back as a problem, not a throw. */
export async function readComposeFile(path: string, options?: ComposeReadOptions): Promise<ComposeFileResult> {
  const read = await readComposeModel(path, options);
  if (!read.ok) return read;
  return { ok: true, compose: composeFileOf(read.model) };
}

function composeFileOf(model: ComposeModel): ComposeFile {
  const compose: ComposeFile = { path: model.file, projectFrom: model.projectFrom, services: model.services };
  if (model.name !== undefined) compose.name = model.name;
  if (model.project !== undefined) compose.project = model.project;
  return compose;
}

/** Region → services, from the services' `label` values; services without the label are in no region. */
export function regionsFromLabels(services: readonly ComposeService[], label: string): Record<string, string[]> {
  const regions = new Map<string, string[]>();
  for (const service of services) {
    const region = Object.hasOwn(service.labels, label) ? service.labels[label] : undefined;
    if (region === undefined || region === '') continue;
    const members = regions.get(region);
    if (members) members.push(service.name);
    else regions.set(region, [service.name]);
  }
  return Object.fromEntries(regions);
}

/**
 * The project name compose would use: as the compose reader resolved it (COMPOSE_PROJECT_NAME
 * from the environment or `.env`, the top-level `name:`, the directory), else — for a
 * ComposeFile not read through it — the `name:` key, else the directory holding the file,
 * normalised as compose does. Undefined when nothing usable is left.
 */
export function composeProjectName(composeFile: string, compose?: ComposeFile): string | undefined {
  if (compose?.projectFrom !== undefined) return compose.project;
  return normalisedProjectName(compose?.name) ?? normalisedProjectName(basename(dirname(composeFile)));
}
