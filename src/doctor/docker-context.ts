import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerContext } from './findings.js';

type Env = Record<string, string | undefined>;

/**
 * The docker CLI's current context, read from its own files (no process is run): DOCKER_CONTEXT,
 * else `currentContext` in $DOCKER_CONFIG/config.json (~/.docker by default). Undefined for the
 * "default" context, which is DOCKER_HOST or the local socket, as firedrill's own choice is.
 * firedrill reads DOCKER_HOST, not contexts: a context elsewhere means the docker and compose
 * commands and firedrill talk to different engines.
 */
export async function currentDockerContext(env: Env): Promise<DockerContext | undefined> {
  const configDir = env.DOCKER_CONFIG || join(homedir(), '.docker');
  const fromEnv = env.DOCKER_CONTEXT?.trim();
  const name = fromEnv || (await configuredContext(configDir));
  if (!name || name === 'default') return undefined;
  const host = await contextHost(configDir, name);
  return { name, selectedBy: fromEnv ? 'DOCKER_CONTEXT' : 'config.json', ...(host ? { host } : {}) };
}

async function configuredContext(configDir: string): Promise<string | undefined> {
  const config = await readJson(join(configDir, 'config.json'));
  const name = (config as { currentContext?: unknown } | undefined)?.currentContext;
  return typeof name === 'string' ? name.trim() : undefined;
}

/** The CLI keeps a context's description under the SHA-256 of its name. */
async function contextHost(configDir: string, name: string): Promise<string | undefined> {
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = await readJson(join(configDir, 'contexts', 'meta', digest, 'meta.json'));
  const host = (meta as { Endpoints?: { docker?: { Host?: unknown } } } | undefined)?.Endpoints?.docker?.Host;
  return typeof host === 'string' && host !== '' ? host : undefined;
}

/** Undefined for a file that is missing or not JSON: the CLI then uses its default too. */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
