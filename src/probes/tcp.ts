import net from 'node:net';
import { z } from 'zod';
import { duration } from '../spec/duration.js';
import { formatMs } from './expectations.js';
import { nsToMs, type Clock } from '../clock.js';
import { shownPlain } from './expectation-words.js';
import type { Probe, ProbeResult } from './probe.js';

export const tcpProbeSchema = z.strictObject({
  kind: z.literal('tcp'),
  name: z.string().optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  timeout: duration({ min: 10, max: 300_000 }).default(2000),
});
export type TcpProbeSpec = z.output<typeof tcpProbeSchema>;

/** Connects once and closes at once; holding means the port accepted a connection in time. */
export const tcpProbe: Probe<TcpProbeSpec, typeof tcpProbeSchema> = {
  kind: 'tcp',
  schema: tcpProbeSchema,
  describe: (spec) => `TCP connect to ${shownPlain(spec.host)}:${spec.port}`,
  run: (spec, ctx) => connectOnce(spec, ctx.signal, ctx.clock),
};

function connectOnce(spec: TcpProbeSpec, signal: AbortSignal, clock: Clock): Promise<ProbeResult> {
  const started = clock.now();
  const elapsedMs = () => nsToMs(clock.now() - started);
  if (signal.aborted) return Promise.resolve({ ok: false, summary: 'aborted', latencyMs: 0 });
  return new Promise((resolve) => {
    let settled = false;
    const socket = net.connect({ host: spec.host, port: spec.port });
    const timer = setTimeout(() => finish(false, `timed out after ${formatMs(spec.timeout)}`, 'timeout'), spec.timeout);
    const onAbort = (): void => finish(false, 'aborted', 'aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      const latencyMs = elapsedMs();
      finish(true, `connected to ${spec.host}:${spec.port} in ${formatMs(latencyMs)}`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish(false, describeConnectionError(error, spec.host), error.code ?? error.message);
    });

    function finish(ok: boolean, summary: string, error?: string): void {
      if (settled) return;
      settled = true;
      const latencyMs = elapsedMs();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok, summary, latencyMs, observed: error === undefined ? {} : { error } });
    }
  });
}

/** The usual ways a connection fails, in words; anything else keeps its own message. */
export function describeConnectionError(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found: ${host}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable: ${host}`;
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return error.code ? `connection failed: ${error.code}` : `connection failed: ${error.message}`;
  }
}
