import http from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbe, httpProbeSchema } from '../../../src/probes/http.js';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { systemClock } from '../../../src/clock.js';
import { firedrillVersion } from '../../../src/version.js';
import { FakeEngine } from '../../support/fake-engine.js';

// A real HTTP server on 127.0.0.1 with an ephemeral port; each route shows one behaviour.
const BIG_BODY = `${'x'.repeat(2 * 1024 * 1024)}needle`;
let server: http.Server;
let base: string;
let hangingRequests = 0;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  if (url === '/ok') return void res.end('status: ok');
  if (url === '/json') {
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ region: 'b', ready: true, items: [{ id: 7 }] }));
  }
  if (url === '/unavailable') return void res.writeHead(503).end('down');
  if (url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
  if (url === '/big') return void res.end(BIG_BODY);
  if (url === '/agent') return void res.end(`agent ${req.headers['user-agent'] ?? '-'}`);
  // Compressed although the probe did not ask for it: the probe reads what the server meant.
  if (url === '/gzip') return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('region b is compressed'));
  if (url === '/br') return void res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync('region b is compressed'));
  if (url === '/hang') {
    hangingRequests += 1;
    return;
  }
  if (url === '/slow') return void setTimeout(() => res.end('late'), 60);
  if (url === '/echo') {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(`${req.method} ${req.headers['x-drill'] ?? '-'} ${body}`));
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(signal: AbortSignal = new AbortController().signal): ProbeContext {
  const engine = new FakeEngine([{ service: 'web' }]);
  return { engine, topology: engine.topology(), signal, clock: systemClock };
}

function spec(input: Record<string, unknown>) {
  return httpProbeSchema.parse({ kind: 'http', ...input });
}

describe('httpProbe against a real server', () => {
  it('holds on a 200 and says so with the latency', async () => {
    const result = await httpProbe.run(spec({ url: `${base}/ok` }), context());
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^HTTP 200 in \d+ms$/);
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.observed).toMatchObject({ status: 200, bodyBytes: 10, bodyTruncated: false });
  });

  it('says it is firedrill (user-agent) unless the playbook sets the header', async () => {
    const own = await httpProbe.run(
      spec({ url: `${base}/agent`, expect: { bodyContains: `agent firedrill/${firedrillVersion}` } }),
      context(),
    );
    expect(own.ok, own.summary).toBe(true);
    const set = spec({ url: `${base}/agent`, headers: { 'user-agent': 'checker/2' }, expect: { bodyContains: 'agent checker/2' } });
    const theirs = await httpProbe.run(set, context());
    expect(theirs.ok, theirs.summary).toBe(true);
  });

  it('fails on a status other than the expected one', async () => {
    const result = await httpProbe.run(spec({ url: `${base}/unavailable`, expect: { status: 200 } }), context());
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^HTTP 503 \(expected 200\) in \d+ms$/);
    const byDefault = await httpProbe.run(spec({ url: `${base}/unavailable` }), context());
    expect(byDefault.summary).toMatch(/^HTTP 503 \(expected 2xx or 3xx\)/);
  });

  it('accepts an expected failure status from a list', async () => {
    const result = await httpProbe.run(spec({ url: `${base}/unavailable`, expect: { status: [502, 503] } }), context());
    expect(result.ok).toBe(true);
  });

  it('does not follow redirects: the 302 is what it saw', async () => {
    const result = await httpProbe.run(spec({ url: `${base}/redirect`, expect: { status: 200 } }), context());
    expect(result.summary).toMatch(/^HTTP 302 \(expected 200\)/);
    const any3xx = await httpProbe.run(spec({ url: `${base}/redirect` }), context());
    expect(any3xx.ok).toBe(true);
  });

  it('checks the body for a substring and a pattern', async () => {
    const contains = await httpProbe.run(spec({ url: `${base}/ok`, expect: { bodyContains: 'ok' } }), context());
    expect(contains.ok).toBe(true);
    const lacks = await httpProbe.run(spec({ url: `${base}/ok`, expect: { bodyContains: 'healthy' } }), context());
    expect(lacks.ok).toBe(false);
    expect(lacks.summary).toMatch(/^HTTP 200 in \d+ms: body lacks "healthy"$/);
    const matches = await httpProbe.run(spec({ url: `${base}/ok`, expect: { bodyMatches: '^status: (ok|degraded)$' } }), context());
    expect(matches.ok).toBe(true);
    const noMatch = await httpProbe.run(spec({ url: `${base}/ok`, expect: { bodyMatches: '^ok' } }), context());
    expect(noMatch.summary).toMatch(/body does not match \/\^ok\/$/);
  });

  it('checks a JSON field by path, for presence and for a value', async () => {
    const present = await httpProbe.run(spec({ url: `${base}/json`, expect: { json: { path: 'items.0.id' } } }), context());
    expect(present.ok).toBe(true);
    const equal = await httpProbe.run(spec({ url: `${base}/json`, expect: { json: { path: 'region', equals: 'b' } } }), context());
    expect(equal.ok).toBe(true);
    const differs = await httpProbe.run(spec({ url: `${base}/json`, expect: { json: { path: 'region', equals: 'a' } } }), context());
    expect(differs.ok).toBe(false);
    expect(differs.summary).toMatch(/JSON "region" is "b" \(expected "a"\)$/);
    const notJson = await httpProbe.run(spec({ url: `${base}/ok`, expect: { json: { path: 'region' } } }), context());
    expect(notJson.summary).toMatch(/body is not JSON$/);
  });

  it('fails when the response is slower than maxLatency', async () => {
    const slow = await httpProbe.run(spec({ url: `${base}/slow`, expect: { maxLatency: '20ms' } }), context());
    expect(slow.ok).toBe(false);
    expect(slow.latencyMs).toBeGreaterThanOrEqual(50);
    expect(slow.summary).toMatch(/^HTTP 200 in \d+ms: took \d+ms \(limit 20ms\)$/);
    const fast = await httpProbe.run(spec({ url: `${base}/ok`, expect: { maxLatency: '5s' } }), context());
    expect(fast.ok).toBe(true);
  });

  it('reads at most 1 MiB of body and says it was cut', async () => {
    const result = await httpProbe.run(spec({ url: `${base}/big`, expect: { bodyContains: 'needle' } }), context());
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/body lacks "needle"$/);
    expect(result.observed).toMatchObject({ status: 200, bodyBytes: 1024 * 1024, bodyTruncated: true });
  });

  it('reads a compressed body as the text it stands for', async () => {
    for (const path of ['/gzip', '/br']) {
      const result = await httpProbe.run(spec({ url: `${base}${path}`, expect: { bodyContains: 'region b is compressed' } }), context());
      expect(result, path).toMatchObject({ ok: true, observed: { status: 200, bodyBytes: 22, bodyTruncated: false } });
    }
  });

  it('sends the method, headers and body it was given', async () => {
    const input = {
      url: `${base}/echo`,
      method: 'POST',
      headers: { 'x-drill': 'yes' },
      body: 'ping',
      expect: { bodyContains: 'POST yes ping' },
    };
    const result = await httpProbe.run(spec(input), context());
    expect(result.ok, result.summary).toBe(true);
  });

  it('times out on a server that never answers, and says after how long', async () => {
    const before = hangingRequests;
    const result = await httpProbe.run(spec({ url: `${base}/hang`, timeout: '200ms' }), context());
    expect(hangingRequests).toBe(before + 1);
    expect(result).toMatchObject({ ok: false, summary: 'timed out after 200ms', observed: { error: 'timeout' } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    expect(result.latencyMs).toBeLessThan(2000);
  });

  it('reports a refused connection as data', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await httpProbe.run(spec({ url: `http://127.0.0.1:${port}/` }), context());
    expect(result).toMatchObject({ ok: false, summary: 'connection refused', observed: { error: 'ECONNREFUSED' } });
  });

  it('resolves "aborted" promptly when the drill aborts mid-request', async () => {
    const controller = new AbortController();
    const pending = httpProbe.run(spec({ url: `${base}/hang`, timeout: '30s' }), context(controller.signal));
    const seen = hangingRequests;
    await waitUntil(() => hangingRequests > seen);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, summary: 'aborted' });
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('does not send anything when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const seen = hangingRequests;
    const result = await httpProbe.run(spec({ url: `${base}/hang` }), context(controller.signal));
    expect(result).toEqual({ ok: false, summary: 'aborted', latencyMs: 0 });
    expect(hangingRequests).toBe(seen);
  });

  it('describes itself in one line', () => {
    expect(httpProbe.describe(spec({ url: 'http://127.0.0.1:8080/health' }))).toBe('GET http://127.0.0.1:8080/health → 2xx/3xx');
    const detailed = spec({
      url: 'http://127.0.0.1:8080/',
      expect: { status: [200, 204], json: { path: 'a', equals: 1 }, maxLatency: '250ms' },
    });
    expect(httpProbe.describe(detailed)).toBe('GET http://127.0.0.1:8080/ → 200 or 204, JSON a = 1, within 250ms');
  });
});

/** Yields to the event loop until `condition` holds; bounded to 500 turns. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !condition(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached within 500 event-loop turns');
}
