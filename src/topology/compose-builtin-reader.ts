import { dirname, join, relative } from 'node:path';
import { MIB, readSourceFile } from '../yaml/source-file.js';
import { DotenvError, parseDotenv } from './compose-dotenv.js';
import { interpolateTree, InterpolationError, type LookupVariable } from './compose-interpolation.js';
import { serviceLimitProblem } from './compose-limits.js';
import { localPath } from './compose-normalise.js';
import { withAbsolutePaths } from './compose-paths.js';
import { emptyRecord, isRecord } from './compose-records.js';
import { mergeServices } from './compose-service-merge.js';
import { MAX_COMPOSE_TOKENS, readComposeYaml } from './compose-yaml.js';

/**
 * The reader used where no compose CLI is installed: resolves a compose file the way compose
 * v2 does, as far as firedrill reads it — the project's `.env`, interpolation, anchors and
 * merge keys, `extends` (same file or another), `include`, `env_file:` — and gives back the
 * services in compose's resolved form, for the same normalising as the CLI's answer.
 * It does not validate the file against compose's schema; compose itself does that.
 */

export type BuiltinRead =
  | { ok: true; services: Map<string, Record<string, unknown>>; nameKey?: string; envFile: Record<string, string>; unset: string[] }
  | { ok: false; problem: string; hint?: string };

/** Variables of the environment firedrill runs in. */
export type Environment = Readonly<Record<string, string | undefined>>;

const MAX_FILES = 64;
const MAX_NESTING = 16;
const MAX_ENV_FILE_BYTES = MIB;

class ComposeProblem extends Error {
  constructor(
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(problem);
  }
}

interface LoadedFile {
  path: string;
  data: Record<string, unknown>;
  services: Record<string, Record<string, unknown>>;
}

export async function readComposeBuiltin(file: string, environment: Environment): Promise<BuiltinRead> {
  const reader = new BuiltinReader(file);
  try {
    const fromProcess = processLookup(environment);
    const envFile = await readDotenv(join(dirname(file), '.env'), fromProcess, false, file);
    // The environment firedrill runs in wins over .env, as it does for compose.
    const lookup: LookupVariable = (name) => fromProcess(name) ?? (Object.hasOwn(envFile, name) ? envFile[name] : undefined);
    const { services, main } = await reader.project(file, lookup, 0);
    const nameKey = typeof main.data.name === 'string' ? main.data.name : undefined;
    return { ok: true, services, envFile, unset: [...reader.unset], ...(nameKey === undefined ? {} : { nameKey }) };
  } catch (error) {
    if (error instanceof ComposeProblem) return { ok: false, problem: error.problem, ...(error.hint ? { hint: error.hint } : {}) };
    throw error;
  }
}

/** The project's `.env` (in the compose file's directory); empty when there is none. Throws Error when it cannot be read. */
export async function readProjectDotenv(dir: string, environment: Environment): Promise<Record<string, string>> {
  try {
    return await readDotenv(join(dir, '.env'), processLookup(environment), false, join(dir, '.env'));
  } catch (error) {
    if (error instanceof ComposeProblem) throw new Error(error.problem);
    throw error;
  }
}

function processLookup(environment: Environment): LookupVariable {
  return (name) => (Object.hasOwn(environment, name) ? environment[name] : undefined);
}

class BuiltinReader {
  readonly unset = new Set<string>();
  private tokensLeft = MAX_COMPOSE_TOKENS;
  private filesRead = 0;

  constructor(private readonly mainFile: string) {}

  /** One compose file with what it includes: its services, `extends` applied and environments resolved. */
  async project(
    file: string,
    lookup: LookupVariable,
    depth: number,
  ): Promise<{ services: Map<string, Record<string, unknown>>; main: LoadedFile }> {
    if (depth > MAX_NESTING) throw new ComposeProblem(`cannot be used: include: is nested more than ${MAX_NESTING} deep`);
    const loaded = new Map<string, Promise<LoadedFile>>();
    const load = (path: string) => {
      let file = loaded.get(path);
      if (!file) loaded.set(path, (file = this.load(path, lookup)));
      return file;
    };
    const main = await load(file);
    if (!isRecord(main.data.services) && main.data.include === undefined)
      throw new ComposeProblem(this.where(file, 'has no "services" mapping'), 'is this a compose file?');
    const services = new Map<string, Record<string, unknown>>();
    for (const name of Object.keys(main.services)) {
      const resolved = await this.extended(main, name, load, []);
      services.set(name, await this.withEnvironment(resolved, lookup, main.path, name));
    }
    for (const included of await this.included(main, lookup, depth)) {
      for (const [name, spec] of included.services) {
        if (services.has(name))
          throw new ComposeProblem(
            this.where(
              file,
              `cannot be used: service "${name}" is defined both here and in the included file ${this.shown(included.file)}`,
            ),
          );
        services.set(name, spec);
      }
    }
    return { services, main };
  }

  /** Reads, bounds, parses and interpolates one file; relative paths in its services made absolute. */
  private async load(path: string, lookup: LookupVariable): Promise<LoadedFile> {
    if (++this.filesRead > MAX_FILES) throw new ComposeProblem(`cannot be used: it includes or extends more than ${MAX_FILES} files`);
    const read = await readComposeYaml(path, this.tokensLeft);
    if (!read.ok) throw new ComposeProblem(this.where(path, read.problem), read.hint);
    this.tokensLeft -= read.tokens;
    if (!isRecord(read.data)) throw new ComposeProblem(this.where(path, 'has no "services" mapping'), 'is this a compose file?');
    const written = isRecord(read.data.services) ? read.data.services : {};
    const limit = serviceLimitProblem(Object.keys(written));
    if (limit) throw new ComposeProblem(this.where(path, limit.problem), limit.hint);
    let data: Record<string, unknown>;
    try {
      data = interpolateTree(read.data, lookup, this.unset) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof InterpolationError)
        throw new ComposeProblem(this.where(path, `cannot be used: ${error.message}`), 'set the variable, in the environment or in .env');
      throw error;
    }
    const services = emptyRecord<Record<string, unknown>>();
    for (const [name, spec] of Object.entries(isRecord(data.services) ? data.services : {})) {
      services[name] = withAbsolutePaths(isRecord(spec) ? spec : {}, dirname(path));
    }
    return { path, data, services };
  }

  /** A service with its `extends` chain applied, base first. */
  private async extended(
    file: LoadedFile,
    name: string,
    load: (path: string) => Promise<LoadedFile>,
    chain: string[],
  ): Promise<Record<string, unknown>> {
    const spec = file.services[name]!;
    if (spec.extends === undefined) return spec;
    const { extends: reference, ...local } = spec;
    const base = isRecord(reference) ? reference : { service: reference };
    if (typeof base.service !== 'string')
      throw new ComposeProblem(this.where(file.path, `cannot be used: services.${name}.extends names no service`));
    const baseFile = typeof base.file === 'string' ? await load(base.file) : file;
    const key = `${baseFile.path}#${base.service}`;
    if (chain.includes(key) || chain.length > MAX_NESTING)
      throw new ComposeProblem(
        this.where(
          file.path,
          `cannot be used: services.${name} extends itself through ${[...chain, key].map((link) => this.shown(link)).join(' → ')}`,
        ),
      );
    if (!Object.hasOwn(baseFile.services, base.service)) {
      throw new ComposeProblem(
        this.where(
          file.path,
          `cannot be used: services.${name} extends "${base.service}", which ${this.shown(baseFile.path)} does not define`,
        ),
      );
    }
    return mergeServices(await this.extended(baseFile, base.service, load, [...chain, key]), local);
  }

  /** `env_file:` entries and `environment:` folded into one mapping, bare keys taken from the environment. */
  private async withEnvironment(
    spec: Record<string, unknown>,
    lookup: LookupVariable,
    file: string,
    name: string,
  ): Promise<Record<string, unknown>> {
    const { env_file: envFiles, environment, ...rest } = spec;
    const values = emptyRecord<string>();
    for (const entry of envFileEntries(envFiles))
      Object.assign(values, await readDotenv(entry.path, lookup, entry.required, file, `services.${name}.env_file`));
    const written = Array.isArray(environment) ? listToMapping(environment) : isRecord(environment) ? environment : {};
    for (const [key, value] of Object.entries(written)) {
      if (value !== null && value !== undefined) values[key] = typeof value === 'string' ? value : String(value);
      else {
        const fromEnvironment = lookup(key);
        if (fromEnvironment !== undefined) values[key] = fromEnvironment;
        else delete values[key];
      }
    }
    return { ...rest, environment: values };
  }

  private async included(
    main: LoadedFile,
    lookup: LookupVariable,
    depth: number,
  ): Promise<{ file: string; services: Map<string, Record<string, unknown>> }[]> {
    const entries = main.data.include === undefined ? [] : Array.isArray(main.data.include) ? main.data.include : [main.data.include];
    const projects: { file: string; services: Map<string, Record<string, unknown>> }[] = [];
    for (const entry of entries) {
      const spec = typeof entry === 'string' ? { path: entry } : isRecord(entry) ? entry : {};
      const paths = (Array.isArray(spec.path) ? spec.path : [spec.path])
        .filter((path): path is string => typeof path === 'string')
        .map((path) => localPath(path, dirname(main.path)));
      if (paths.length === 0) throw new ComposeProblem(this.where(main.path, 'cannot be used: an include: entry names no file'));
      const projectDir =
        typeof spec.project_directory === 'string' ? localPath(spec.project_directory, dirname(main.path)) : dirname(paths[0]!);
      const envFiles =
        spec.env_file === undefined
          ? [{ path: join(projectDir, '.env'), required: false }]
          : envFileEntries(spec.env_file, dirname(main.path));
      const own = emptyRecord<string>();
      for (const envFile of envFiles)
        Object.assign(own, await readDotenv(envFile.path, lookup, envFile.required, main.path, 'include.env_file'));
      // The including project's variables win over the included project's own .env.
      const includedLookup: LookupVariable = (name) => lookup(name) ?? (Object.hasOwn(own, name) ? own[name] : undefined);
      const merged = new Map<string, Record<string, unknown>>();
      for (const path of paths) {
        const { services } = await this.project(path, includedLookup, depth + 1);
        for (const [name, service] of services) merged.set(name, merged.has(name) ? mergeServices(merged.get(name)!, service) : service);
      }
      projects.push({ file: paths[0]!, services: merged });
    }
    return projects;
  }

  /** A problem found in another file than the one being read names that file. */
  private where(path: string, problem: string): string {
    return path === this.mainFile ? problem : `cannot be used: in ${this.shown(path)}: ${problem.replace(/^cannot be used: /, '')}`;
  }

  private shown(path: string): string {
    const shown = relative(dirname(this.mainFile), path);
    return shown.startsWith('..') || shown === '' ? path : shown;
  }
}

function envFileEntries(value: unknown, dir?: string): { path: string; required: boolean }[] {
  const entries = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return entries.flatMap((entry) => {
    const path = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.path === 'string' ? entry.path : undefined;
    if (path === undefined) return [];
    const required = !(isRecord(entry) && entry.required === false);
    return [{ path: dir === undefined ? path : localPath(path, dir), required }];
  });
}

function listToMapping(list: unknown[]): Record<string, unknown> {
  const mapping = emptyRecord<unknown>();
  for (const entry of list) {
    if (typeof entry !== 'string') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) mapping[entry] = null;
    else mapping[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return mapping;
}

/** A `.env`-format file; a missing one is empty unless it is required. */
async function readDotenv(
  path: string,
  lookup: LookupVariable,
  required: boolean,
  composeFile: string,
  field = '.env',
): Promise<Record<string, string>> {
  const source = await readSourceFile(path, MAX_ENV_FILE_BYTES);
  if (!source.ok) {
    if (source.problem === 'does not exist' && !required) return emptyRecord<string>();
    const shown = relative(dirname(composeFile), path);
    throw new ComposeProblem(`cannot be used: ${field}: ${shown.startsWith('..') ? path : shown} ${source.problem}`, source.hint);
  }
  try {
    return parseDotenv(source.text, lookup);
  } catch (error) {
    if (error instanceof DotenvError)
      throw new ComposeProblem(`cannot be used: ${relative(dirname(composeFile), path) || path}: ${error.message}`);
    throw error;
  }
}
