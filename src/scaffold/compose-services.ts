import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { composeFromData, isRecord, type ComposeService } from '../playbook/compose-file.js';
import { parseYaml } from '../playbook/parse-yaml.js';
import { MIB, readSourceFile } from '../playbook/source-file.js';
import { withDefaults } from './compose-interpolation.js';
import { publishedPorts, type PublishedPort } from './compose-ports.js';

/**
 * What `firedrill init` needs to know about a compose project, read from its compose file
 * alone (no Docker): per service, what it runs, what it publishes, how it checks its own
 * health and what it mounts. The names, labels and project name come from the same reading
 * code `validate` uses (playbook/compose-file.ts).
 */

export interface ServiceMount {
  kind: 'bind' | 'volume' | 'tmpfs';
  /** Absolute path for a bind mount, the volume's name for a named volume; none for an anonymous one. */
  source?: string;
  target: string;
  readOnly: boolean;
}

export interface ScaffoldService extends ComposeService {
  image?: string;
  /** Absolute path of the build context, when it is a local directory. */
  buildContext?: string;
  /** The command as one line of text ('' when the image's own is used). */
  command: string;
  ports: PublishedPort[];
  /** The healthcheck's test as text; undefined when there is none or it is disabled. */
  healthcheck?: string;
  mounts: ServiceMount[];
  /** Compose profiles: a service with any is only started when one of them is asked for. */
  profiles: string[];
}

export interface ComposeProject {
  /** Absolute path of the compose file. */
  file: string;
  /** Top-level `name:`, when set. */
  name?: string;
  services: ScaffoldService[];
}

/** The names compose itself looks for, in its order of preference. */
const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

const MAX_COMPOSE_BYTES = 4 * MIB;
const COMPOSE_YAML_LIMITS = { maxAddedByAliases: 200_000, maxAliasCount: 1000, merge: true };

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

export async function readComposeProject(file: string): Promise<ComposeProject> {
  const path = resolve(file);
  const source = await readSourceFile(path, MAX_COMPOSE_BYTES);
  if (!source.ok) throw new UsageError(`the compose file ${file} ${source.problem}${source.hint ? ` (${source.hint})` : ''}`);
  const parsed = parseYaml(source.text, COMPOSE_YAML_LIMITS);
  const first = parsed.problems[0];
  if (first) {
    throw new UsageError(
      `the compose file ${file} cannot be read: line ${first.position.line}, column ${first.position.column}: ${first.message} ` +
        '(fix it first; `docker compose config` shows its problems)',
    );
  }
  const compose = composeFromData(path, parsed.data);
  if (!compose.ok) throw new UsageError(`the compose file ${file} ${compose.problem}${compose.hint ? ` (${compose.hint})` : ''}`);
  if (compose.compose.services.length === 0) {
    throw new UsageError(`the compose file ${file} defines no services: there is nothing to drill — add services, or name another file with --compose <file>`);
  }
  const specs = (parsed.data as { services: Record<string, unknown> }).services;
  const dir = dirname(path);
  return {
    file: path,
    ...(compose.compose.name ? { name: compose.compose.name } : {}),
    services: compose.compose.services.map((service) => describeService(service, specs[service.name], dir)),
  };
}

function describeService(service: ComposeService, spec: unknown, dir: string): ScaffoldService {
  const fields = isRecord(spec) ? spec : {};
  const described: ScaffoldService = {
    ...service,
    command: commandText(fields.command) ?? commandText(fields.entrypoint) ?? '',
    ports: publishedPorts(fields),
    mounts: mountsOf(fields, dir),
    profiles: Array.isArray(fields.profiles) ? fields.profiles.map(String) : [],
  };
  if (typeof fields.image === 'string') described.image = withDefaults(fields.image).text ?? fields.image;
  const context = buildContext(fields.build, dir);
  if (context !== undefined) described.buildContext = context;
  const healthcheck = healthcheckText(fields.healthcheck);
  if (healthcheck !== undefined) described.healthcheck = healthcheck;
  return described;
}

function commandText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(' ');
  return undefined;
}

/** The local build context directory; a remote one (a git URL) is of no use here. */
function buildContext(build: unknown, dir: string): string | undefined {
  const written = typeof build === 'string' ? build : isRecord(build) && typeof build.context === 'string' ? build.context : isRecord(build) ? '.' : undefined;
  if (written === undefined || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(written)) return undefined;
  const text = withDefaults(written).text;
  return text === undefined ? undefined : resolve(dir, text);
}

function healthcheckText(value: unknown): string | undefined {
  if (!isRecord(value) || value.disable === true) return undefined;
  const test = value.test;
  const words = Array.isArray(test) ? test.map(String) : typeof test === 'string' ? [test] : [];
  // ["NONE"] turns the image's healthcheck off; ["CMD", …] and ["CMD-SHELL", "…"] carry the command.
  if (words.length === 0 || words[0] === 'NONE') return undefined;
  return (words[0] === 'CMD' || words[0] === 'CMD-SHELL' ? words.slice(1) : words).join(' ');
}

function mountsOf(fields: Record<string, unknown>, dir: string): ServiceMount[] {
  const volumes = Array.isArray(fields.volumes) ? fields.volumes : [];
  const mounts = volumes.flatMap((entry): ServiceMount[] => {
    if (typeof entry === 'string') return shortMount(entry, dir);
    if (!isRecord(entry) || typeof entry.target !== 'string') return [];
    const kind = entry.type === 'bind' ? 'bind' : entry.type === 'tmpfs' ? 'tmpfs' : 'volume';
    const source = typeof entry.source === 'string' ? (kind === 'bind' ? localPath(entry.source, dir) : entry.source) : undefined;
    return [{ kind, target: entry.target, readOnly: entry.read_only === true, ...(source ? { source } : {}) }];
  });
  const tmpfs = typeof fields.tmpfs === 'string' ? [fields.tmpfs] : Array.isArray(fields.tmpfs) ? fields.tmpfs.filter((t) => typeof t === 'string') : [];
  return [...mounts, ...tmpfs.map((target): ServiceMount => ({ kind: 'tmpfs', target: target.split(':')[0]!, readOnly: false }))];
}

/** "src:dst[:mode]" — a path source (./, ../, /, ~) is a bind mount, a bare name a named volume, none an anonymous volume. */
function shortMount(written: string, dir: string): ServiceMount[] {
  const parts = written.split(':');
  if (parts.length === 1) return [{ kind: 'volume', target: parts[0]!, readOnly: false }];
  const [source, target, mode = ''] = parts as [string, string, string?];
  const readOnly = mode.split(',').includes('ro');
  if (/^[./~]/.test(source)) {
    const path = localPath(source, dir);
    return [{ kind: 'bind', target, readOnly, ...(path ? { source: path } : {}) }];
  }
  return [{ kind: 'volume', source, target, readOnly }];
}

/** A bind source as an absolute path; undefined for what cannot be known here (~, variables without default). */
function localPath(written: string, dir: string): string | undefined {
  const text = withDefaults(written).text;
  if (text === undefined || text.startsWith('~')) return undefined;
  return isAbsolute(text) ? text : resolve(dir, text);
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
