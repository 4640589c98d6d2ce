import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ComposeModelService, ServiceMount } from './compose-model.js';
import { publishedPorts } from './compose-ports.js';
import { emptyRecord, isRecord } from './compose-records.js';
import { shellWords } from './shell-words.js';

/**
 * A resolved compose service (interpolated, `extends` applied, `env_file` folded into
 * `environment`) in any of the forms compose accepts or prints — short and long syntax,
 * lists and maps, strings and word lists — as one ComposeModelService. Both readers end here,
 * so the CLI's canonical output and the built-in reader's output give the same model.
 */

export function normaliseService(name: string, spec: unknown, projectDir: string): ComposeModelService {
  const fields = isRecord(spec) ? spec : {};
  const command = words(fields.command);
  const entrypoint = words(fields.entrypoint);
  const service: ComposeModelService = {
    name,
    labels: keyValues(fields.labels, true),
    command: (command ?? entrypoint ?? []).join(' '),
    entrypoint: (entrypoint ?? []).join(' '),
    environment: keyValues(fields.environment, false),
    ports: publishedPorts(fields),
    mounts: mountsOf(fields, projectDir),
    profiles: Array.isArray(fields.profiles) ? fields.profiles.map(String) : [],
    dependsOn: dependencies(fields.depends_on),
  };
  if (typeof fields.image === 'string' && fields.image !== '') service.image = fields.image;
  const context = buildContext(fields.build, projectDir);
  if (context !== undefined) service.buildContext = context;
  const healthcheck = healthcheckText(fields.healthcheck);
  if (healthcheck !== undefined) service.healthcheck = healthcheck;
  if (typeof fields.network_mode === 'string' && fields.network_mode !== '') service.networkMode = fields.network_mode;
  if (typeof fields.pid === 'string' && fields.pid !== '') service.pid = fields.pid;
  if (typeof fields.ipc === 'string' && fields.ipc !== '') service.ipc = fields.ipc;
  const replicas = replicasOf(fields);
  if (replicas !== undefined) service.replicas = replicas;
  return service;
}

/** A command or entrypoint as words: a list as given, a string split as a shell would (compose does the same). */
function words(value: unknown): string[] | undefined {
  if (typeof value === 'string') return shellWords(value);
  if (Array.isArray(value)) return value.map(scalarText);
  return undefined;
}

/**
 * `labels:` and `environment:` in either form: a mapping, or a list of "key=value". A key
 * without a value is an empty label; in `environment` it takes its value from the
 * environment, which the readers have done already, so one still without a value is unset.
 */
function keyValues(value: unknown, bareKeyIsEmpty: boolean): Record<string, string> {
  return sortedByKey(writtenKeyValues(value, bareKeyIsEmpty));
}

/** The same keys in name order, whichever order a reader gave them in. */
function sortedByKey(record: Record<string, string>): Record<string, string> {
  const sorted = emptyRecord<string>();
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}

function writtenKeyValues(value: unknown, bareKeyIsEmpty: boolean): Record<string, string> {
  const result = emptyRecord<string>();
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (typeof entry !== 'string') continue;
      const equals = entry.indexOf('=');
      if (equals >= 0) result[entry.slice(0, equals)] = entry.slice(equals + 1);
      else if (bareKeyIsEmpty) result[entry] = '';
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined) {
        if (bareKeyIsEmpty) result[key] = '';
      } else result[key] = scalarText(item);
    }
  }
  return result;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** Names of the services in `depends_on` (a list, or a mapping with conditions), sorted. */
function dependencies(value: unknown): string[] {
  const names = Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : isRecord(value)
      ? Object.keys(value)
      : [];
  return [...new Set(names)].sort();
}

function replicasOf(fields: Record<string, unknown>): number | undefined {
  const deployed = isRecord(fields.deploy) ? fields.deploy.replicas : undefined;
  for (const value of [deployed, fields.scale]) {
    const count = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
    if (count !== undefined && Number.isSafeInteger(count) && count >= 0) return count;
  }
  return undefined;
}

/** The local build context directory; a remote one (a git URL) is of no use here. */
function buildContext(build: unknown, dir: string): string | undefined {
  const written =
    typeof build === 'string' ? build : isRecord(build) ? (typeof build.context === 'string' ? build.context : '.') : undefined;
  if (written === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(written)) return undefined;
  return localPath(written, dir);
}

function healthcheckText(value: unknown): string | undefined {
  if (!isRecord(value) || value.disable === true) return undefined;
  const test = value.test;
  const list = Array.isArray(test) ? test.map(scalarText) : typeof test === 'string' ? [test] : [];
  // ["NONE"] turns the image's healthcheck off; ["CMD", …] and ["CMD-SHELL", "…"] carry the command.
  if (list.length === 0 || list[0] === 'NONE') return undefined;
  const text = (list[0] === 'CMD' || list[0] === 'CMD-SHELL' ? list.slice(1) : list).join(' ');
  return text === '' ? undefined : text;
}

function mountsOf(fields: Record<string, unknown>, dir: string): ServiceMount[] {
  const volumes = Array.isArray(fields.volumes) ? fields.volumes : [];
  const mounts = volumes.flatMap((entry): ServiceMount[] => {
    if (typeof entry === 'string') return shortMount(entry, dir);
    if (!isRecord(entry) || typeof entry.target !== 'string') return [];
    const kind = entry.type === 'bind' ? 'bind' : entry.type === 'tmpfs' ? 'tmpfs' : 'volume';
    const written = typeof entry.source === 'string' && entry.source !== '' ? entry.source : undefined;
    const source = written === undefined ? undefined : kind === 'bind' ? localPath(written, dir) : written;
    return [{ kind, target: entry.target, readOnly: entry.read_only === true, ...(source ? { source } : {}) }];
  });
  const tmpfs =
    typeof fields.tmpfs === 'string'
      ? [fields.tmpfs]
      : Array.isArray(fields.tmpfs)
        ? fields.tmpfs.filter((t) => typeof t === 'string')
        : [];
  // By mount point: the order mounts are written in means nothing to the engine, and compose
  // versions print mounts merged by `extends` in different orders.
  const all = [...mounts, ...tmpfs.map((target): ServiceMount => ({ kind: 'tmpfs', target: target.split(':')[0]!, readOnly: false }))];
  return all.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

/**
 * "src:dst[:mode]", read after interpolation (as compose does: `${CONF_DIR:-./conf}:/etc/x:ro`
 * is split once the variable is replaced). A path source (./, ../, /, ~) is a bind mount, a
 * bare name a named volume, none an anonymous volume.
 */
function shortMount(written: string, dir: string): ServiceMount[] {
  const parts = written.split(':');
  if (parts.length === 1) return [{ kind: 'volume', target: parts[0]!, readOnly: false }];
  const [source, target, mode = ''] = parts as [string, string, string?];
  const readOnly = mode.split(',').includes('ro');
  if (source === '') return [{ kind: 'volume', target, readOnly }];
  if (/^[./~]/.test(source)) return [{ kind: 'bind', source: localPath(source, dir), target, readOnly }];
  return [{ kind: 'volume', source, target, readOnly }];
}

/** A path as compose resolves it: "~" is the home directory, a relative path is relative to the project directory. */
export function localPath(written: string, dir: string): string {
  if (written === '~' || written.startsWith('~/')) return resolve(homedir(), written.slice(2));
  return isAbsolute(written) ? resolve(written) : resolve(dir, written);
}
