import { DOCTOR_POINTER, EnvironmentError } from '../errors.js';
import { ContainerGoneError } from './container-gone.js';

/**
 * How the Docker adapter reads the errors dockerode / docker-modem reject with:
 * transport errors (engine unreachable), "already so" answers that reverts must treat
 * as success, and everything else, which keeps Docker's own message.
 */

/** The shape docker-modem gives API errors (statusCode, json.message) and Node gives socket errors (code). */
interface DockerishError {
  statusCode?: number;
  code?: string;
  json?: unknown;
  message?: string;
  level?: string;
}

const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ERR_SOCKET_CLOSED',
]);

/** Actions whose "already so" answers the adapter swallows. */
export type IdempotentAction = 'start' | 'stop' | 'kill' | 'pause' | 'unpause' | 'connect' | 'disconnect';

export function isUnreachable(error: unknown): boolean {
  const e = error as DockerishError;
  if (typeof e !== 'object' || e === null || e.statusCode !== undefined) return false;
  // ssh2 reports connection and authentication failures with a `level`.
  return (e.code !== undefined && UNREACHABLE_CODES.has(e.code)) || (e.level?.startsWith('client-') ?? false);
}

/** The HTTP status of an API error, or undefined for a transport error (or anything else). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as DockerishError | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The message the engine sent, without docker-modem's "(HTTP code 409) unexpected - " prefix. */
export function dockerMessage(error: unknown): string {
  const e = error as DockerishError;
  const json = e?.json as { message?: unknown } | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message;
  if (typeof e?.message === 'string') return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  return String(error);
}

/**
 * True when the engine refused because the container already is in the wanted state.
 * Checked against Docker Engine 20.10 (API 1.41): start/stop answer 304; kill and pause of
 * a stopped container 409 "is not running"; pause of a paused one 409 "already paused";
 * unpause of a container that is not paused 500 "is not paused"; disconnect from a network
 * it is not on 500 "is not connected to"; connect to one it is on 403 "already exists".
 */
export function isAlreadySo(action: IdempotentAction, error: unknown): boolean {
  const status = (error as DockerishError)?.statusCode;
  if (status === undefined) return false;
  const message = dockerMessage(error);
  switch (action) {
    case 'start':
    case 'stop':
      return status === 304;
    case 'kill':
      return status === 409 && /is not running/i.test(message);
    case 'pause':
      return status === 409 && /is not running|already paused/i.test(message);
    case 'unpause':
      return /is not paused/i.test(message);
    case 'disconnect':
      return /is not connected to/i.test(message);
    case 'connect':
      return /already exists in network/i.test(message);
  }
}

export function unreachableError(endpoint: string, error: unknown): EnvironmentError {
  return new EnvironmentError(
    `Docker is not reachable at ${endpoint}: ${unreachableCause(error)} — start the Docker daemon or set DOCKER_HOST ${DOCTOR_POINTER}`,
    { cause: error },
  );
}

/** Why a transport error happened, in Node's words: "connect ENOENT /var/run/docker.sock". */
export function unreachableCause(error: unknown): string {
  const e = error as DockerishError;
  const message = e?.message ?? '';
  return (e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message).trim() || String(error);
}

/** Wraps an engine failure: says what was being done and keeps Docker's message. */
export function engineError(endpoint: string, doing: string, error: unknown, signal?: AbortSignal): Error {
  if (isUnreachable(error) && !signal?.aborted) return unreachableError(endpoint, error);
  if (signal?.aborted) return new Error(`${doing}: cancelled (${abortReason(signal)})`, { cause: error });
  if (isNoSuchContainer(error)) return new ContainerGoneError(`${doing}: ${dockerMessage(error)}`, { cause: error });
  return new Error(`${doing}: ${dockerMessage(error)}`, { cause: error });
}

/** 404 "No such container: <id>" — the container was removed (or never existed). */
function isNoSuchContainer(error: unknown): boolean {
  return (error as DockerishError)?.statusCode === 404 && /no such container/i.test(dockerMessage(error));
}

export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.name === 'TimeoutError' ? 'timed out' : reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}
