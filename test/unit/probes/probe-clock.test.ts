import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execProbe, execProbeSchema } from '../../../src/probes/exec.js';
import { hostProbe, hostProbeSchema } from '../../../src/probes/host.js';
import { httpProbe, httpProbeSchema } from '../../../src/probes/http.js';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

/**
 * Probes measure their latency on the clock in their context, not on the process's own: a fake
 * clock decides what they report, and so whether a latency limit holds.
 */
const clock = new FakeClock();
/** How far the fake clock moves while the server below answers; set by each test. */
let answerTakesMs = 0;
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    clock.advance(answerTakesMs);
    res.end('{"ready":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(engine = new FakeEngine([{ service: 'ledger' }])): ProbeContext {
  return { engine, topology: engine.topology(), signal: new AbortController().signal, clock };
}

describe('a probe on a fake clock', () => {
  it('http: reports the time the clock says the exchange took, and judges maxLatency by it', async () => {
    const probe = httpProbeSchema.parse({ kind: 'http', url: `${base}/ready`, expect: { maxLatency: '500ms' } });

    answerTakesMs = 900;
    const slow = await httpProbe.run(probe, context());
    expect(slow).toMatchObject({ ok: false, latencyMs: 900 });
    expect(slow.summary).toContain('took 900ms (limit 500ms)');

    answerTakesMs = 240;
    expect(await httpProbe.run(probe, context())).toMatchObject({ ok: true, latencyMs: 240, summary: 'HTTP 200 in 240ms' });
  });

  it('exec: the latency is what the clock moved while the commands ran', async () => {
    const engine = new FakeEngine([{ service: 'ledger' }, { service: 'ledger' }]);
    engine.onExec(() => {
      clock.advance(187.5);
      return { exitCode: 0, stdout: 'PONG', stderr: '' };
    });
    const probe = execProbeSchema.parse({ kind: 'exec', service: 'ledger', command: ['ledger-ping'] });
    expect(await execProbe.run(probe, context(engine))).toMatchObject({ ok: true, latencyMs: 375 });
  });

  it('host: a real command on a clock that does not move took no time', async () => {
    const probe = hostProbeSchema.parse({ kind: 'host', command: ['true'] });
    expect(await hostProbe.run(probe, context())).toMatchObject({ ok: true, latencyMs: 0 });
  });
});
