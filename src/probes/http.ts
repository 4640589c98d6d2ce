import { z } from 'zod';
import { pattern } from '../spec/common.js';
import { duration } from '../spec/duration.js';
import { checkBodyContains, checkBodyMatches, checkJson, checkLatency, checkStatus, firstFailure, formatMs } from './expectations.js';
import { nsToMs } from '../clock.js';
import { httpExpectationText, shownPlain } from './expectation-words.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { describeConnectionError } from './tcp.js';
import type { CappedBody, HttpExchange } from './http-exchange.js';

// Node's http client is loaded with the first request: validate and plan never send one.
let exchangeModule: Promise<typeof import('./http-exchange.js')> | undefined;

const statusList = z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]);

export const httpProbeSchema = z.strictObject({
  kind: z.literal('http'),
  name: z.string().optional(),
  url: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  timeout: duration({ min: 10, max: 300_000 }).default(2000),
  expect: z
    .strictObject({
      /** One status or a list; by default any 2xx or 3xx. */
      status: statusList.optional(),
      bodyContains: z.string().optional(),
      bodyMatches: pattern.optional(),
      /** A field of a JSON body, by dotted path ("region", "items.0.id"). */
      json: z
        .strictObject({
          path: z.string().min(1),
          equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
        })
        .optional(),
      maxLatency: duration({ min: 1, max: 300_000 }).optional(),
    })
    .default({}),
});
export type HttpProbeSpec = z.output<typeof httpProbeSchema>;

/** Bodies are read up to this many bytes; expectations see only that much. */
const BODY_CAP_BYTES = 1024 * 1024;

/**
 * One HTTP request (http-exchange.ts). Redirects are not followed (a 302 is what the probe saw).
 * The timeout covers the whole exchange, body included, and so does the latency.
 */
export const httpProbe: Probe<HttpProbeSpec, typeof httpProbeSchema> = {
  kind: 'http',
  schema: httpProbeSchema,
  describe: describeHttpProbe,
  run: runHttpProbe,
};

function describeHttpProbe(spec: HttpProbeSpec): string {
  const { maxLatency, ...rest } = spec.expect;
  const expectation = httpExpectationText({ ...rest, ...(maxLatency !== undefined ? { maxLatency: formatMs(maxLatency) } : {}) });
  return `${spec.method} ${shownPlain(spec.url)} → ${expectation}`;
}

async function runHttpProbe(spec: HttpProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs: 0 };
  const exchange = exchangeSignal(ctx.signal, spec.timeout);
  try {
    return await exchangeOnce(spec, ctx, exchange);
  } finally {
    exchange.release();
  }
}

async function exchangeOnce(spec: HttpProbeSpec, ctx: ProbeContext, { signal, timedOut }: ExchangeSignal): Promise<ProbeResult> {
  const started = ctx.clock.now();
  const elapsedMs = () => nsToMs(ctx.clock.now() - started);
  let exchange: HttpExchange;
  try {
    const { url, method, headers, body } = spec;
    exchangeModule ??= import('./http-exchange.js');
    const { httpExchange } = await exchangeModule;
    exchange = await httpExchange({ url, method, headers, body, capBytes: BODY_CAP_BYTES, signal });
  } catch (error) {
    const latencyMs = elapsedMs();
    if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs, observed: { error: 'aborted' } };
    if (timedOut()) {
      return { ok: false, summary: `timed out after ${formatMs(spec.timeout)}`, latencyMs, observed: { error: 'timeout' } };
    }
    const cause = networkCause(error);
    const summary = describeConnectionError(cause, new URL(spec.url).hostname);
    return { ok: false, summary, latencyMs, observed: { error: cause.code ?? cause.message } };
  }
  return judgeResponse(spec, exchange.status, exchange.body, elapsedMs());
}

interface ExchangeSignal {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Clears the timer and lets go of the drill's signal; the exchange is over. */
  release(): void;
}

/**
 * Aborts the exchange when the drill aborts or its timeout passes: one controller, one timer and
 * one listener, all released when the exchange ends. Probes may run a thousand times a second;
 * AbortSignal.timeout would keep each timer (and the exchange it holds) alive for the whole
 * timeout after the answer came, and AbortSignal.any would tie every exchange to the drill's signal.
 */
function exchangeSignal(drill: AbortSignal, timeoutMs: number): ExchangeSignal {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  const onDrillAbort = (): void => controller.abort();
  drill.addEventListener('abort', onDrillAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    release: () => {
      clearTimeout(timer);
      drill.removeEventListener('abort', onDrillAbort);
    },
  };
}

function judgeResponse(spec: HttpProbeSpec, status: number, body: CappedBody, latencyMs: number): ProbeResult {
  const observed = { status, bodyBytes: body.bytes, bodyTruncated: body.truncated };
  const shown = `HTTP ${status}`;
  const took = `in ${formatMs(latencyMs)}`;
  const statusCheck = checkStatus(status, spec.expect.status);
  if (!statusCheck.ok) return { ok: false, summary: `${shown} (${statusCheck.reason}) ${took}`, latencyMs, observed };
  const check = firstFailure([
    checkBodyContains(body.text, spec.expect.bodyContains),
    checkBodyMatches(body.text, spec.expect.bodyMatches),
    checkJson(body.text, spec.expect.json),
    checkLatency(latencyMs, spec.expect.maxLatency),
  ]);
  const summary = check.ok ? `${shown} ${took}` : `${shown} ${took}: ${check.reason}`;
  return { ok: check.ok, summary, latencyMs, observed };
}

/** The socket's error; a connection tried on several addresses fails with all of their errors, and the first one speaks. */
function networkCause(error: unknown): NodeJS.ErrnoException {
  let cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && cause.errors.length > 0 && !(cause as NodeJS.ErrnoException).code) {
    cause = cause.errors[0];
  }
  return cause instanceof Error ? (cause as NodeJS.ErrnoException) : new Error(String(cause));
}
