import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../spec/duration.js';
import { firedrillVersion } from '../version.js';
import { messageOf } from '../errors.js';
import { withoutWebhookUrl } from './public-target.js';
import type { DeliveryResult, StatusChannel, StatusUpdate } from './status-update.js';

type WebhookChannel = Extract<StatusChannel, { kind: 'webhook' }>;

/** At most this many requests, and all of them within the channel's timeout. */
export const MAX_ATTEMPTS = 3;
/** Wait before the second attempt; doubled before the third. */
export const FIRST_BACKOFF_MS = 250;
/**
 * Answers that say the update was not taken (rate limited, or a gateway in front of the
 * service could not reach it): sending it again cannot post it twice. Any other error answer,
 * a 500 included, may come after the update was stored, so it is not sent again.
 */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/**
 * Errors (undici's `cause.code`) that prove no request reached the server: refused, a name that
 * did not resolve, or no connection within the connect timeout. Any other failure (a reset, a
 * socket closed mid-answer) may come after the body was sent and stored, so it is not sent again.
 */
const RETRY_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

interface Attempt extends DeliveryResult {
  /** Whether another attempt could succeed without posting the update twice. */
  retry: boolean;
}

/**
 * POSTs the update as JSON. Bounded: at most MAX_ATTEMPTS requests, the whole delivery within
 * the channel's timeout, and it stops at once when `signal` aborts. Redirects are not followed
 * (a POST that is redirected is easily turned into a GET, or sent where nobody meant).
 */
export async function postToWebhook(channel: WebhookChannel, update: StatusUpdate, signal: AbortSignal): Promise<DeliveryResult> {
  const deadline = AbortSignal.timeout(channel.timeoutMs);
  const either = AbortSignal.any([signal, deadline]);
  const stopped = () => (signal.aborted ? 'aborted: the drill is stopping' : `no answer within ${formatDuration(channel.timeoutMs)}`);
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const attempt = await postOnce(channel, update, either, stopped);
    const result = finalResult(attempt, attempts, channel);
    if (attempt.ok || !attempt.retry || attempts >= MAX_ATTEMPTS) return result;
    try {
      await delay(FIRST_BACKOFF_MS * 2 ** (attempts - 1), undefined, { signal: either });
    } catch {
      return { ...result, error: `${result.error ?? 'not delivered'}; ${stopped()}, so no further attempt` };
    }
  }
}

async function postOnce(channel: WebhookChannel, update: StatusUpdate, signal: AbortSignal, stopped: () => string): Promise<Attempt> {
  if (signal.aborted) return { ok: false, attempts: 0, error: stopped(), retry: false };
  try {
    // The step's headers replace the defaults whatever their case (Content-Type and content-type are one header).
    const headers = new Headers({ 'content-type': 'application/json', 'user-agent': `firedrill/${firedrillVersion}` });
    for (const [name, value] of Object.entries(channel.headers)) headers.set(name, value);
    const response = await fetch(channel.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(update),
      redirect: 'manual',
      signal,
    });
    // The answer's body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true, attempts: 1, httpStatus: response.status, retry: false };
    const redirected =
      response.status >= 300 && response.status < 400 ? ' (a redirect; give the final URL, redirects are not followed)' : '';
    const reason = response.statusText ? ` ${response.statusText}` : '';
    return {
      ok: false,
      attempts: 1,
      httpStatus: response.status,
      error: `HTTP ${response.status}${reason}${redirected}`,
      retry: RETRY_STATUSES.has(response.status),
    };
  } catch (error) {
    if (signal.aborted) return { ok: false, attempts: 1, error: stopped(), retry: false };
    // fetch says "fetch failed" and puts the reason (ECONNREFUSED, a TLS error…) in its cause.
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    return { ok: false, attempts: 1, error: messageOf(cause), retry: provesNothingSent(cause) };
  }
}

/**
 * Whether fetch's error (its cause) proves the request never reached the server. A host with
 * several addresses fails with an AggregateError: that proves it when every address failed so.
 */
export function provesNothingSent(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(provesNothingSent);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRY_CAUSES.has(code);
}

/** The attempt's outcome with the count of requests so far, and no secret in its words. */
function finalResult(attempt: Attempt, attempts: number, channel: WebhookChannel): DeliveryResult {
  // An attempt that never started (already aborted) is not counted.
  const result: DeliveryResult = { ok: attempt.ok, attempts: attempt.attempts === 0 ? attempts - 1 : attempts };
  if (attempt.httpStatus !== undefined) result.httpStatus = attempt.httpStatus;
  if (attempt.error !== undefined) result.error = withoutSecrets(attempt.error, channel);
  return result;
}

/**
 * Header values and the URL's path, query and credentials are secrets (tokens): whatever an
 * error says (fetch quotes the URL in some), they never reach the journal.
 */
function withoutSecrets(text: string, channel: WebhookChannel): string {
  let clean = withoutWebhookUrl(text, channel.url);
  for (const value of Object.values(channel.headers)) if (value.length > 0) clean = clean.split(value).join('[redacted]');
  return clean;
}
