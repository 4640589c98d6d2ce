import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { execProbe, execProbeSchema } from '../../../src/probes/exec.js';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

function setup(signal: AbortSignal = new AbortController().signal) {
  const engine = new FakeEngine([{ service: 'store-b' }, { service: 'store-b' }, { service: 'web' }]);
  const ctx: ProbeContext = { engine, topology: engine.topology(), signal, clock: systemClock };
  return { engine, ctx };
}

function spec(input: Record<string, unknown> = {}) {
  return execProbeSchema.parse({ kind: 'exec', service: 'store-b', command: 'redis-cli ping', ...input });
}

describe('execProbe', () => {
  it('runs the command in every container of the service and holds when all match', async () => {
    const { engine, ctx } = setup();
    engine.onExec(() => ({ exitCode: 0, stdout: 'PONG\n', stderr: '' }));
    const result = await execProbe.run(spec({ expect: { outputContains: 'PONG' } }), ctx);
    expect(result).toMatchObject({ ok: true, summary: 'exit 0 in 2 containers of store-b' });
    const execs = engine.callsTo('exec');
    expect(execs.map(([id]) => id)).toEqual(engine.containersOf('store-b').map((c) => c.id));
    expect(execs[0]?.[1]).toEqual(['sh', '-c', 'redis-cli ping']);
    expect(execs[0]?.[2]).toBe(5000);
  });

  it('names the failing container and its output', async () => {
    const { engine, ctx } = setup();
    engine.onExec((id) =>
      id === engine.container('demo-store-b-2').id
        ? { exitCode: 1, stdout: '', stderr: 'NOAUTH Authentication required.' }
        : { exitCode: 0, stdout: 'PONG', stderr: '' },
    );
    const result = await execProbe.run(spec(), ctx);
    expect(result.ok).toBe(false);
    expect(result.summary).toBe('demo-store-b-2: exit 1 (expected 0): NOAUTH Authentication required.');
    expect(result.observed).toEqual({
      containers: [
        { container: 'demo-store-b-1', ok: true, exitCode: 0 },
        { container: 'demo-store-b-2', ok: false, exitCode: 1, reason: 'exit 1 (expected 0)' },
      ],
    });
  });

  it('fails on an output mismatch even with the right exit code', async () => {
    const { engine, ctx } = setup();
    engine.onExec(() => ({ exitCode: 0, stdout: 'LOADING', stderr: '' }));
    const result = await execProbe.run(spec({ expect: { outputMatches: '^PONG' } }), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-store-b-1: exit 0, output does not match /^PONG/: LOADING' });
  });

  it('treats a stopped container as a failed observation, not an exception', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-store-b-1', { status: 'exited' });
    const result = await execProbe.run(spec(), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-store-b-1: exec failed: container demo-store-b-1 is not running' });
  });

  it('treats an engine error as data', async () => {
    const { engine, ctx } = setup();
    engine.failNext('exec', new Error('socket hang up'));
    const result = await execProbe.run(spec(), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-store-b-1: exec failed: socket hang up' });
  });

  it('resolves "aborted" promptly when aborted while the command runs', async () => {
    const controller = new AbortController();
    const { engine, ctx } = setup(controller.signal);
    let started = 0;
    engine.onExec(() => {
      started += 1;
      return new Promise(() => undefined);
    });
    const pending = execProbe.run(spec(), ctx);
    await waitUntil(() => started === 2);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, summary: 'aborted' });
  });

  it('throws ScopeError for a service outside the topology', async () => {
    const { ctx } = setup();
    await expect(execProbe.run(spec({ service: 'nope' }), ctx)).rejects.toBeInstanceOf(ScopeError);
  });

  it('describes itself', () => {
    expect(execProbe.describe(spec())).toBe('`redis-cli ping` in store-b → exit 0');
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached within 100 event-loop turns');
}
