import { unreachableCause } from '../engine/docker-errors.js';
import { resolveEndpoint } from '../engine/docker-endpoint.js';
import { atLeast } from '../engine/docker-engine.js';
import type { EngineHost, EngineIdentity, HelperContainers } from '../engine/ports.js';
import { EnvironmentError, messageOf } from '../errors.js';
import { currentDockerContext } from './docker-context.js';
import { finding, type EngineWhere, type Finding } from './findings.js';

/** What doctor asks of an engine: who it is, its host, and helper containers. */
export type DoctorEngine = EngineIdentity & HelperContainers & EngineHost;

type Env = Record<string, string | undefined>;

/**
 * The oldest API firedrill works with: helpers are awaited with `wait?condition=removed`, which
 * came with API 1.30 (Engine 17.06).
 */
export const MINIMUM_API = { major: 1, minor: 30 };

/** Where the engine is, chosen exactly as the adapter chooses it, and the docker CLI's context when it differs. */
export async function engineWhere(env: Env): Promise<EngineWhere> {
  const { endpoint } = resolveEndpoint(undefined, env);
  if (env.DOCKER_HOST) return { endpoint, chosenBy: 'DOCKER_HOST' };
  // DOCKER_HOST overrides a context for the docker CLI too; only without it can the two differ.
  const context = await currentDockerContext(env);
  return { endpoint, chosenBy: 'default-socket', ...(context ? { context } : {}) };
}

/** Pings the engine; `usable` is set only when it answers with an API firedrill works with, for the checks that need it. */
export async function checkEngine(
  where: EngineWhere,
  engine: DoctorEngine,
  signal: AbortSignal,
): Promise<{ finding: Finding; usable?: { apiVersion: string } }> {
  let version: { version: string; apiVersion: string };
  try {
    version = await engine.ping({ signal });
  } catch (error) {
    const cause = error instanceof EnvironmentError && error.cause !== undefined ? unreachableCause(error.cause) : messageOf(error);
    return { finding: finding('engine', 'fail', 'engine.unreachable', { ...where, cause }) };
  }
  const facts = { ...where, ...version };
  if (!atLeast(version.apiVersion, MINIMUM_API.major, MINIMUM_API.minor)) {
    return { finding: finding('engine', 'fail', 'engine.api-too-old', { ...facts, minimum: `${MINIMUM_API.major}.${MINIMUM_API.minor}` }) };
  }
  const { context } = where;
  if (context && context.host !== where.endpoint) {
    return {
      finding: finding('engine', 'warn', 'engine.context-elsewhere', { ...facts, context }),
      usable: { apiVersion: version.apiVersion },
    };
  }
  return { finding: finding('engine', 'ok', 'engine.answers', facts), usable: { apiVersion: version.apiVersion } };
}
