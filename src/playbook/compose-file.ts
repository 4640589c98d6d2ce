import { basename, dirname } from 'node:path';
import { parseYaml } from './parse-yaml.js';
import { MIB, readSourceFile } from './source-file.js';

/**
 * Just enough of a compose file to check a playbook offline: the services it defines and
 * their labels (so regions given by a label are known before Docker is asked), and the
 * project name it may set. Environment interpolation (`${VAR}`), `extends` and `include`
 * are not followed: values are taken as written.
 */

export interface ComposeService {
  name: string;
  labels: Record<string, string>;
}

export interface ComposeFile {
  /** Absolute path it was read from. */
  path: string;
  /** Top-level `name:` (compose v2 uses it as the project name). */
  name?: string;
  services: ComposeService[];
}

/** `problem` completes a sentence that starts with the file's name: "… does not exist". */
export type ComposeFileResult = { ok: true; compose: ComposeFile } | { ok: false; problem: string; hint?: string };

const MAX_COMPOSE_BYTES = 4 * MIB;
// Compose files lean on anchors and merge keys (x-defaults: &defaults, <<: *defaults).
const COMPOSE_YAML_LIMITS = { maxAddedByAliases: 200_000, maxAliasCount: 1000, merge: true };

/** Reads and parses a compose file; every way it can fail comes back as a problem, not a throw. */
export async function readComposeFile(path: string): Promise<ComposeFileResult> {
  const source = await readSourceFile(path, MAX_COMPOSE_BYTES);
  if (!source.ok) return source;
  const parsed = parseYaml(source.text, COMPOSE_YAML_LIMITS);
  const first = parsed.problems[0];
  if (first) {
    const where = `line ${first.position.line}, column ${first.position.column}`;
    return { ok: false, problem: `cannot be used: ${where}: ${first.message}`, hint: 'fix the compose file first; `docker compose config` shows its problems' };
  }
  return composeFromData(path, parsed.data);
}

export function composeFromData(path: string, data: unknown): ComposeFileResult {
  if (!isRecord(data) || !isRecord(data.services)) {
    return { ok: false, problem: 'has no "services" mapping', hint: 'is this a compose file?' };
  }
  const services = Object.entries(data.services).map(([name, spec]) => ({ name, labels: labelsOf(spec) }));
  const name = typeof data.name === 'string' && data.name.length > 0 ? data.name : undefined;
  return { ok: true, compose: { path, services, name } };
}

/** Labels in either of compose's forms: a mapping, or a list of "key=value" (or bare "key"). */
export function labelsOf(service: unknown): Record<string, string> {
  const labels = isRecord(service) ? service.labels : undefined;
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  if (Array.isArray(labels)) {
    for (const entry of labels) {
      if (typeof entry !== 'string') continue;
      const equals = entry.indexOf('=');
      if (equals < 0) result[entry] = '';
      else result[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
  } else if (isRecord(labels)) {
    for (const [key, value] of Object.entries(labels)) result[key] = value === null || value === undefined ? '' : String(value);
  }
  return result;
}

/** Region → services, from the services' `label` values; services without the label are in no region. */
export function regionsFromLabels(services: readonly ComposeService[], label: string): Record<string, string[]> {
  const regions = new Map<string, string[]>();
  for (const service of services) {
    const region = Object.hasOwn(service.labels, label) ? service.labels[label] : undefined;
    if (region === undefined || region === '') continue;
    regions.set(region, [...(regions.get(region) ?? []), service.name]);
  }
  return Object.fromEntries(regions);
}

/**
 * The project name compose would use: the file's top-level `name:` (compose v2), else the
 * name of the directory holding the compose file, lowercased and stripped to [a-z0-9_-]
 * (as both compose v1 and v2 do). Undefined when nothing usable is left.
 */
export function composeProjectName(composeFile: string, compose?: ComposeFile): string | undefined {
  return normalisedProjectName(compose?.name) ?? normalisedProjectName(basename(dirname(composeFile)));
}

/** A name as a compose project name: lowercased, stripped to [a-z0-9_-], not starting with "_" or "-"; undefined when nothing is left. */
export function normalisedProjectName(name: string | undefined): string | undefined {
  const normalised = name
    ?.toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
  return normalised || undefined;
}

/** A YAML mapping (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
