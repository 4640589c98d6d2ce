import { emptyRecord, isRecord } from './compose-records.js';

/**
 * How `extends` combines a base service with the service that extends it, by compose's
 * rules: the local value wins; mappings merge key by key; `environment`, `labels` and
 * `depends_on` merge as mappings whichever form each side uses; `command`, `entrypoint` and
 * `healthcheck.test` are replaced whole; `volumes` merge by mount point; other lists are
 * joined without repeats.
 */

type Merge = (base: unknown, local: unknown) => unknown;

const SPECIAL: Record<string, Merge> = {
  command: replace,
  entrypoint: replace,
  environment: (base, local) => mergeMappings(asMapping(base), asMapping(local), replace),
  labels: (base, local) => mergeMappings(asMapping(base), asMapping(local), replace),
  depends_on: (base, local) => mergeMappings(asDependencies(base), asDependencies(local), mergeValues),
  healthcheck: (base, local) =>
    isRecord(base) && isRecord(local) ? mergeMappings(base, local, (b, l, key) => (key === 'test' ? l : mergeValues(b, l))) : local,
  volumes: mergeVolumes,
};

export function mergeServices(base: Record<string, unknown>, local: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(local)) {
    merged[key] = Object.hasOwn(base, key) ? (SPECIAL[key] ?? mergeValues)(base[key], value) : value;
  }
  return merged;
}

function replace(_base: unknown, local: unknown): unknown {
  return local;
}

function mergeValues(base: unknown, local: unknown): unknown {
  if (local === null || local === undefined) return base;
  if (isRecord(base) && isRecord(local)) return mergeMappings(base, local, mergeValues);
  if (Array.isArray(base) && Array.isArray(local)) return joinWithoutRepeats(base, local);
  return local;
}

function mergeMappings(
  base: Record<string, unknown>,
  local: Record<string, unknown>,
  merge: (base: unknown, local: unknown, key: string) => unknown,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(local)) merged[key] = Object.hasOwn(base, key) ? merge(base[key], value, key) : value;
  return merged;
}

function joinWithoutRepeats(base: unknown[], local: unknown[]): unknown[] {
  const seen = new Set(base.map((item) => JSON.stringify(item)));
  return [...base, ...local.filter((item) => !seen.has(JSON.stringify(item)))];
}

/** A list of "KEY=value" (or bare "KEY") as a mapping; a bare key maps to null, as in compose. */
function asMapping(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  const mapping = emptyRecord<unknown>();
  if (!Array.isArray(value)) return mapping;
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) mapping[entry] = null;
    else mapping[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return mapping;
}

function asDependencies(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  const mapping = emptyRecord<unknown>();
  if (Array.isArray(value)) for (const name of value) if (typeof name === 'string') mapping[name] = { condition: 'service_started' };
  return mapping;
}

/** Mounts of the base at a mount point the local service also uses are replaced by the local ones. */
function mergeVolumes(base: unknown, local: unknown): unknown {
  if (!Array.isArray(base) || !Array.isArray(local)) return local;
  const localTargets = new Set(local.map(mountTarget).filter((target) => target !== undefined));
  return [...base.filter((entry) => !localTargets.has(mountTarget(entry) ?? '')), ...local];
}

function mountTarget(entry: unknown): string | undefined {
  if (isRecord(entry)) return typeof entry.target === 'string' ? entry.target : undefined;
  if (typeof entry !== 'string') return undefined;
  const parts = entry.split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}
