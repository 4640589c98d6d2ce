import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { describeConnectionError, tcpProbe, tcpProbeSchema } from '../../../src/probes/tcp.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

let server: net.Server;
let port: number;
let accepted = 0;

beforeAll(async () => {
  server = net.createServer((socket) => {
    accepted += 1;
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function context(signal: AbortSignal = new AbortController().signal): ProbeContext {
  const engine = new FakeEngine([{ service: 'db' }]);
  return { engine, topology: engine.topology(), signal, clock: systemClock };
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

describe('tcpProbe against a real listener', () => {
  it('holds when the port accepts a connection, and closes it', async () => {
    const before = accepted;
    const result = await tcpProbe.run(tcpProbeSchema.parse({ kind: 'tcp', port }), context());
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port} in \\d+ms$`));
    expect(accepted).toBe(before + 1);
  });

  it('fails with "connection refused" on a closed port', async () => {
    const result = await tcpProbe.run(tcpProbeSchema.parse({ kind: 'tcp', port: await closedPort() }), context());
    expect(result).toMatchObject({ ok: false, summary: 'connection refused', observed: { error: 'ECONNREFUSED' } });
  });

  it('resolves "aborted" when the signal is already aborted, without connecting', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = accepted;
    const result = await tcpProbe.run(tcpProbeSchema.parse({ kind: 'tcp', port }), context(controller.signal));
    expect(result).toEqual({ ok: false, summary: 'aborted', latencyMs: 0 });
    expect(accepted).toBe(before);
  });

  it('resolves "aborted" when the signal aborts during the attempt', async () => {
    const controller = new AbortController();
    const pending = tcpProbe.run(tcpProbeSchema.parse({ kind: 'tcp', port }), context(controller.signal));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, summary: 'aborted' });
  });

  it('describes itself and connection errors in words', () => {
    expect(tcpProbe.describe(tcpProbeSchema.parse({ kind: 'tcp', host: 'db.local', port: 5432 }))).toBe('TCP connect to db.local:5432');
    const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    expect(describeConnectionError(error('ENOTFOUND'), 'db.local')).toBe('host not found: db.local');
    expect(describeConnectionError(error('EHOSTUNREACH'), '10.0.0.1')).toBe('host unreachable: 10.0.0.1');
    expect(describeConnectionError(error('ECONNRESET'), 'x')).toBe('connection reset');
    expect(describeConnectionError(error('EPIPE'), 'x')).toBe('connection failed: EPIPE');
    expect(describeConnectionError(new Error('odd'), 'x')).toBe('connection failed: odd');
  });
});
