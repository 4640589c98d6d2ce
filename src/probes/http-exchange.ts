import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import zlib from 'node:zlib';
import { firedrillVersion } from '../version.js';

const USER_AGENT = `firedrill/${firedrillVersion}`;

/**
 * One HTTP exchange for the http probe, on Node's own http client. Probes may sample a thousand
 * times a second (a hundred stop conditions every 100ms); fetch costs about twice the CPU per
 * request and keeps several times the memory alive between collections, and its pauses delayed
 * the samples after them. Connections are kept alive between samples, per origin, as fetch did.
 */

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export interface HttpExchangeRequest {
  url: string;
  method: string;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  /** Bodies are read up to this many bytes (after decoding); the rest is not read. */
  capBytes: number;
  /** Aborting it ends the exchange, body included, with an AbortError. */
  signal: AbortSignal;
}

export interface CappedBody {
  text: string;
  bytes: number;
  truncated: boolean;
}

export interface HttpExchange {
  status: number;
  body: CappedBody;
}

/**
 * Sends the request and reads the response's body. Redirects are not followed. Rejects with the
 * socket's own error (ECONNREFUSED, ECONNRESET, …) or the AbortError of the signal; a response
 * of any status resolves.
 */
export function httpExchange(request: HttpExchangeRequest): Promise<HttpExchange> {
  return new Promise((resolve, reject) => {
    let outgoing: http.ClientRequest;
    try {
      const target = targetOf(request.url);
      const client = target.secure ? https : http;
      const agent = target.secure ? agents['https:'] : agents['http:'];
      // A service's logs can tell the drill's checks from customers' requests; the playbook's headers win.
      const headers = { accept: '*/*', 'user-agent': USER_AGENT, ...request.headers };
      outgoing = client.request({ ...target.options, method: request.method, headers, agent, signal: request.signal });
    } catch (error) {
      // An invalid header name or value is refused before anything is sent.
      reject(error);
      return;
    }
    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      readCapped(decoded(response), request.capBytes).then((body) => resolve({ status: response.statusCode ?? 0, body }), reject);
    });
    outgoing.end(request.body);
  });
}

interface Target {
  secure: boolean;
  options: http.RequestOptions;
}

/** Each probe asks the same URL again and again: it is parsed once (a few hundred probes' worth are kept). */
const targets = new Map<string, Target>();
const TARGETS_KEPT = 512;

function targetOf(url: string): Target {
  let target = targets.get(url);
  if (target) return target;
  const parsed = new URL(url);
  target = { secure: parsed.protocol === 'https:', options: urlToHttpOptions(parsed) };
  if (targets.size >= TARGETS_KEPT) targets.clear();
  targets.set(url, target);
  return target;
}

/** The body as the server meant it: a compressed body is inflated, as fetch did. */
function decoded(response: http.IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  // Errors of either side reach the decoder, which the reader below is reading.
  return pipeline(response, decoder, () => undefined);
}

/** Reads at most `cap` bytes, then destroys the stream so the rest is not read. */
async function readCapped(stream: Readable, cap: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (bytes + chunk.byteLength > cap) {
      chunks.push(chunk.subarray(0, cap - bytes));
      stream.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), bytes: cap, truncated: true };
    }
    chunks.push(chunk);
    bytes += chunk.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: false };
}
