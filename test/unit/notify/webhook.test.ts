import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusUpdate } from '../../../src/notify/status-update.js';
import { publicTarget, withoutWebhookUrl } from '../../../src/notify/public-target.js';
import { MAX_ATTEMPTS, postToWebhook, provesNothingSent } from '../../../src/notify/webhook.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server on 127.0.0.1 (random port) that records every request and answers as `answer` says. */
async function statusPage(answer: (res: ServerResponse, request: number) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/status?token=abc`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const UPDATE: StatusUpdate = {
  drill: 'region-loss',
  runId: 'run-1',
  status: 'investigating',
  message: 'Checkout errors in region a.',
  sentAt: '2026-11-21T09:00:00.000Z',
};
const channel = (url: string, timeoutMs = 5000, headers: Record<string, string> = {}) => ({
  kind: 'webhook' as const,
  url,
  headers,
  timeoutMs,
});
const live = () => new AbortController().signal;
const answerWith = (status: number) => (res: ServerResponse) => res.writeHead(status).end('{}');

describe('postToWebhook against a real HTTP server', () => {
  it("POSTs the update as JSON with the step's headers, once, and reports the answer", async () => {
    const page = await statusPage(answerWith(202));
    const headers = { Authorization: 'Bearer s3cret', 'X-Team': 'sre', 'Content-Type': 'application/json; charset=utf-8' };
    const result = await postToWebhook(channel(page.url, 5000, headers), UPDATE, live());

    expect(result).toEqual({ ok: true, attempts: 1, httpStatus: 202 });
    expect(page.received).toHaveLength(1);
    const [request] = page.received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/status?token=abc' });
    expect(JSON.parse(request!.body)).toEqual(UPDATE);
    // The step's Content-Type replaces the default rather than joining it.
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      authorization: 'Bearer s3cret',
      'x-team': 'sre',
    });
    expect(request!.headers['user-agent']).toMatch(/^firedrill\/\d+\.\d+\.\d+/);
  });

  it('a 500 is not delivered and not sent again (the page may have stored it)', async () => {
    const page = await statusPage(answerWith(500));
    expect(await postToWebhook(channel(page.url), UPDATE, live())).toEqual({
      ok: false,
      attempts: 1,
      httpStatus: 500,
      error: 'HTTP 500 Internal Server Error',
    });
    expect(page.received).toHaveLength(1);
  });

  it('retries an answer that says the update was not taken, and stops at the first success', async () => {
    const page = await statusPage((res, request) => res.writeHead(request === 1 ? 503 : 201).end());
    expect(await postToWebhook(channel(page.url), UPDATE, live())).toEqual({ ok: true, attempts: 2, httpStatus: 201 });
    expect(page.received.map((r) => JSON.parse(r.body) as StatusUpdate)).toEqual([UPDATE, UPDATE]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    const page = await statusPage(answerWith(429));
    expect(await postToWebhook(channel(page.url), UPDATE, live())).toEqual({
      ok: false,
      attempts: MAX_ATTEMPTS,
      httpStatus: 429,
      error: 'HTTP 429 Too Many Requests',
    });
    expect(page.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('does not follow a redirect', async () => {
    const page = await statusPage((res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const result = await postToWebhook(channel(page.url), UPDATE, live());
    expect(result).toMatchObject({ ok: false, attempts: 1, httpStatus: 302 });
    expect(result.error).toContain('redirects are not followed');
    expect(page.received.map((r) => r.url)).toEqual(['/hooks/status?token=abc']);
  });

  it('gives up on a server that never answers when the timeout is up', async () => {
    // The server reads the request and never answers; only the timeout can end the delivery.
    const page = await statusPage(() => undefined);
    const result = await postToWebhook(channel(page.url, 300), UPDATE, live());
    expect(result).toEqual({ ok: false, attempts: 1, error: 'no answer within 300ms' });
    expect(page.received).toHaveLength(1);
  });

  it('stops when the drill aborts, and says so', async () => {
    const page = await statusPage(() => undefined);
    const abort = new AbortController();
    const pending = postToWebhook(channel(page.url, 60_000), UPDATE, abort.signal);
    for (let turn = 0; turn < 200 && page.received.length === 0; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    expect(await pending).toEqual({ ok: false, attempts: 1, error: 'aborted: the drill is stopping' });
  });

  it('does not send again when the connection is lost after the update was sent (it may have been stored)', async () => {
    // The server reads the whole request, then drops the connection without answering.
    const page = await statusPage((res) => res.socket?.destroy());
    const result = await postToWebhook(channel(page.url), UPDATE, live());
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.httpStatus).toBeUndefined();
    expect(page.received).toHaveLength(1);
  });

  it('retries a refused connection within the timeout, and never puts a header value in the error', async () => {
    const page = await statusPage(answerWith(200));
    const closedUrl = page.url;
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    const result = await postToWebhook(channel(closedUrl, 5000, { Authorization: 'Bearer s3cret' }), UPDATE, live());
    expect(result).toMatchObject({ ok: false, attempts: MAX_ATTEMPTS });
    expect(result.error).toContain('ECONNREFUSED');
    expect(result.error).not.toContain('s3cret');
    expect(result.httpStatus).toBeUndefined();
  });
});

describe('what a failed webhook says', () => {
  it("never quotes the URL's credentials, path or query, even where fetch would", async () => {
    // fetch refuses a URL with credentials and quotes it whole; the schema refuses such a URL first.
    const url = 'http://user:pw@127.0.0.1:9/hook/T0123/AbCdEf?token=abc';
    const result = await postToWebhook(channel(url), UPDATE, live());
    expect(result.ok).toBe(false);
    expect(result.error).toContain(publicTarget(url));
    for (const secret of ['pw', 'token=abc', 'AbCdEf', '/hook']) expect(result.error).not.toContain(secret);
  });
});

describe('which fetch errors are sent again', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it('only those that prove the request never reached the server', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])
      expect(provesNothingSent(coded(code)), code).toBe(true);
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_HEADERS_TIMEOUT'])
      expect(provesNothingSent(coded(code)), code).toBe(false);
    expect(provesNothingSent(new Error('no code'))).toBe(false);
    expect(provesNothingSent(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]))).toBe(true);
    expect(provesNothingSent(new AggregateError([coded('ECONNREFUSED'), coded('ECONNRESET')]))).toBe(false);
  });
});

describe('publicTarget', () => {
  const slack = 'https://hooks.slack.com/services/T0123/B0456/AbCdEfGhIjKlMnOpQrStUvWx';
  it('shows scheme, host and port, and only a fingerprint of the path and query', () => {
    expect(publicTarget(slack)).toMatch(/^https:\/\/hooks\.slack\.com\/…#[0-9a-f]{6}$/);
    expect(publicTarget('https://user:pw@status.example.test:8443/a/b?token=x#frag')).toMatch(
      /^https:\/\/status\.example\.test:8443\/…#[0-9a-f]{6}$/,
    );
    expect(publicTarget('http://127.0.0.1:9099')).toBe('http://127.0.0.1:9099/');
    expect(publicTarget('not a url')).toBe('(an invalid URL)');
  });

  it('is stable for one URL and tells two URLs on one host apart', () => {
    expect(publicTarget(slack)).toBe(publicTarget(slack));
    // The fragment is never sent, so it does not change the target; the query is, so it does.
    expect(publicTarget(`${slack}#x`)).toBe(publicTarget(slack));
    expect(publicTarget(`${slack}?thread=1`)).not.toBe(publicTarget(slack));
    expect(publicTarget(slack.replace('AbCd', 'ZyXw'))).not.toBe(publicTarget(slack));
  });
});

describe('withoutWebhookUrl', () => {
  const url = 'http://127.0.0.1:8080/api/T0AAA/XyZsecret?key=k-123';
  it('replaces the URL in every spelling, and its path and query on their own', () => {
    const shown = publicTarget(url);
    expect(withoutWebhookUrl(`request to ${url} failed`, url)).toBe(`request to ${shown} failed`);
    expect(withoutWebhookUrl('POST /api/T0AAA/XyZsecret?key=k-123 refused', url)).toBe(`POST ${shown} refused`);
    expect(withoutWebhookUrl('bad path /api/T0AAA/XyZsecret; bad query key=k-123', url)).toBe(`bad path ${shown}; bad query ${shown}`);
  });

  it('leaves other text alone, even where a short path looks like part of it', () => {
    expect(withoutWebhookUrl('connect ECONNREFUSED 127.0.0.1:1', 'http://127.0.0.1:1/1')).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(withoutWebhookUrl('fetch http://127.0.0.1:1/1 failed', 'http://127.0.0.1:1/1')).toBe(
      `fetch ${publicTarget('http://127.0.0.1:1/1')} failed`,
    );
  });
});
