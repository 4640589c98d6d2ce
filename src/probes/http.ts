import { z } from 'zod';
import { pattern } from '../spec/common.js';
import { duration } from '../spec/duration.js';
import { checkBodyContains, checkBodyMatches, checkJson, checkLatency, checkStatus, firstFailure, formatMs } from './expectations.js';
import { nsToMs } from '../clock.js';
import { httpExpectationText, shownPlain } from './expectation-words.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { describeConnectionError } from './tcp.js';

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
 * One HTTP request with Node's fetch. Redirects are not followed (a 302 is what the probe saw).
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
  const timeout = AbortSignal.timeout(spec.timeout);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const started = ctx.clock.now();
  const elapsedMs = () => nsToMs(ctx.clock.now() - started);
  let exchange: { status: number; body: CappedBody };
  try {
    const init: RequestInit = { method: spec.method, redirect: 'manual', signal };
    if (spec.headers) init.headers = spec.headers;
    if (spec.body !== undefined) init.body = spec.body;
    const response = await fetch(spec.url, init);
    exchange = { status: response.status, body: await readCapped(response, BODY_CAP_BYTES) };
  } catch (error) {
    const latencyMs = elapsedMs();
    if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs, observed: { error: 'aborted' } };
    if (timeout.aborted) {
      return { ok: false, summary: `timed out after ${formatMs(spec.timeout)}`, latencyMs, observed: { error: 'timeout' } };
    }
    const cause = networkCause(error);
    const summary = describeConnectionError(cause, new URL(spec.url).hostname);
    return { ok: false, summary, latencyMs, observed: { error: cause.code ?? cause.message } };
  }
  return judgeResponse(spec, exchange.status, exchange.body, elapsedMs());
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

interface CappedBody {
  text: string;
  bytes: number;
  truncated: boolean;
}

/** Reads at most `cap` bytes of the body, then cancels the rest so the connection is released. */
async function readCapped(response: Response, cap: number): Promise<CappedBody> {
  if (!response.body) return { text: '', bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks), bytes, truncated: false };
    if (bytes + value.byteLength > cap) {
      chunks.push(value.subarray(0, cap - bytes));
      await reader.cancel();
      return { text: decode(chunks), bytes: cap, truncated: true };
    }
    chunks.push(value);
    bytes += value.byteLength;
  }
}

function decode(chunks: Uint8Array[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch wraps socket errors as TypeError('fetch failed') with the real error (or several) as cause. */
function networkCause(error: unknown): NodeJS.ErrnoException {
  let cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && cause.errors.length > 0 && !(cause as NodeJS.ErrnoException).code) {
    cause = cause.errors[0];
  }
  return cause instanceof Error ? (cause as NodeJS.ErrnoException) : new Error(String(cause));
}
