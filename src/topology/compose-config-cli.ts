import { dirname } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { EnvironmentError } from '../errors.js';
import type { ComposeCommand } from './compose-cli.js';
import { oneLine } from './compose-limits.js';
import { isRecord } from './compose-records.js';
import type { Environment } from './compose-builtin-reader.js';
import { MAX_COMPOSE_TOKENS } from './compose-yaml.js';
import { countTokens } from './yaml-tokens.js';

/**
 * Asks the compose CLI the user has for the resolved project: `docker compose config
 * --format json` (v2), or `docker-compose config` (v1, YAML), run in the compose file's
 * directory with the user's environment — so `.env`, `extends`, `include`, profiles,
 * interpolation and anchors mean exactly what they mean to compose. Bounded in time and
 * output; a file compose rejects comes back as a problem carrying compose's own words.
 */

export type CliRead =
  | {
      ok: true;
      services: Map<string, Record<string, unknown>>;
      /** v2 only: the project name compose resolved. */
      name?: string;
      /** Variables compose warned about: used without a default, and not set. */
      unset: string[];
    }
  | { ok: false; problem: string; hint?: string };

export const COMPOSE_CONFIG_TIMEOUT_MS = 10_000;
export const MAX_COMPOSE_CONFIG_OUTPUT = 4 * 1024 * 1024;
/** compose's message is cut to this many characters in ours. */
const MAX_MESSAGE = 600;

/** Compose v2 (the plugin, or a v2 `docker-compose` binary) answers in JSON and knows `name:` and `include:`. */
export function speaksJson(compose: ComposeCommand): boolean {
  return compose.flavour === 'v2' || Number.parseInt(compose.version.replace(/^v/, ''), 10) >= 2;
}

export async function readComposeWithCli(compose: ComposeCommand, file: string, environment: Environment): Promise<CliRead> {
  const json = speaksJson(compose);
  // '*' enables every profile, so services behind one are listed too (with their profiles).
  const args = [...compose.argv.slice(1), '-f', file, ...(json ? ['--profile', '*', 'config', '--format', 'json'] : ['config'])];
  const shown = `${compose.argv.join(' ')} config`;
  // execa (over a hundred modules) is loaded only by a read that runs compose, not by every validate.
  const { execa } = await import('execa');
  const result = await execa(compose.argv[0]!, args, {
    cwd: dirname(file),
    env: { ...environment },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: COMPOSE_CONFIG_TIMEOUT_MS,
    maxBuffer: MAX_COMPOSE_CONFIG_OUTPUT,
    forceKillAfterDelay: 2_000,
  });
  if (result.timedOut) {
    throw new EnvironmentError(
      `\`${shown}\` did not answer within ${COMPOSE_CONFIG_TIMEOUT_MS / 1000} s while reading ${file} — run it yourself to see why`,
    );
  }
  if (result.isMaxBuffer) {
    return {
      ok: false,
      problem: `is too large to read: \`${shown}\` resolves it to more than ${MAX_COMPOSE_CONFIG_OUTPUT / 1024 / 1024} MiB`,
      hint: 'is this the right file?',
    };
  }
  if (result.exitCode !== 0) {
    if (result.exitCode === undefined)
      throw new EnvironmentError(`\`${shown}\` ended by ${result.signal ?? 'a signal'} while reading ${file}`);
    return {
      ok: false,
      problem: `is rejected by \`${shown}\`: ${composeMessage(String(result.stderr))}`,
      hint: `run \`${shown}\` in ${dirname(file)} to see it whole`,
    };
  }
  const parsed = json ? parseJson(String(result.stdout)) : parseYamlOutput(String(result.stdout));
  if (!isRecord(parsed))
    return {
      ok: false,
      problem: `cannot be read: \`${shown}\` printed something other than a compose project`,
      hint: 'is it a compose CLI?',
    };
  const document = unescapeDollars(parsed) as Record<string, unknown>;
  const services = new Map<string, Record<string, unknown>>();
  for (const [name, spec] of Object.entries(isRecord(document.services) ? document.services : {}))
    services.set(name, isRecord(spec) ? spec : {});
  return {
    ok: true,
    services,
    unset: unsetVariables(String(result.stderr)),
    ...(typeof document.name === 'string' ? { name: document.name } : {}),
  };
}

/** v1: 'The FOO variable is not set.'; v2: 'The "FOO" variable is not set.' */
function unsetVariables(stderr: string): string[] {
  const names = [...stderr.matchAll(/The "?([A-Za-z_][A-Za-z0-9_]*)"? variable is not set/g)].map((match) => match[1]!);
  return [...new Set(names)];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** v1 prints YAML: machine-written, without duplicate keys, bounded like a compose file but larger (anchors and `extends` are expanded). */
function parseYamlOutput(text: string): unknown {
  if (countTokens(text, 4 * MAX_COMPOSE_TOKENS) > 4 * MAX_COMPOSE_TOKENS) return undefined;
  try {
    return parseYamlText(text, { uniqueKeys: false, maxAliasCount: -1 }) as unknown;
  } catch {
    return undefined;
  }
}

/** compose prints `$` as `$$` so its output is itself a compose file; the values themselves hold one `$`. */
function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key.replaceAll('$$', '$')] = unescapeDollars(item);
    return result;
  }
  return value;
}

/**
 * compose's complaint on one line: warnings (unset variables, the obsolete `version:`) left
 * out, whitespace collapsed, control characters escaped, cut to a readable length.
 */
export function composeMessage(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !/^(WARN(ING)?\b|level=warn|time="[^"]*" level=warn)|variable is not set\. Defaulting to a blank string\.$/i.test(line),
    );
  const text = lines.join(' ').replace(/^(?:Error:|ERRO\[\d+\])\s*/, '');
  return text === '' ? '(compose printed no reason)' : oneLine(text, MAX_MESSAGE);
}
