import { describe, expect, it } from 'vitest';
import { healthProbe, healthProbeSchema, judgeState } from '../../../src/probes/health.js';
import type { ProbeContext } from '../../../src/probes/probe.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

function setup(signal: AbortSignal = new AbortController().signal) {
  const engine = new FakeEngine([{ service: 'app', health: 'healthy' }, { service: 'app', health: 'healthy' }, { service: 'cache' }]);
  const ctx: ProbeContext = { engine, topology: engine.topology(), signal, clock: systemClock };
  return { engine, ctx };
}

function spec(service: string, status?: string) {
  return healthProbeSchema.parse({ kind: 'health', service, ...(status ? { expect: { status } } : {}) });
}

describe('healthProbe', () => {
  it('holds when every container is healthy (the default expectation)', async () => {
    const { engine, ctx } = setup();
    const result = await healthProbe.run(spec('app'), ctx);
    expect(result).toMatchObject({ ok: true, summary: '2 containers of app are healthy' });
    expect(engine.callsTo('inspectState')).toHaveLength(2);
  });

  it('fails naming the container that is not healthy', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-app-2', { health: 'unhealthy' });
    const result = await healthProbe.run(spec('app'), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-app-2 is unhealthy (expected healthy)' });
    expect(result.observed).toEqual({
      containers: [
        { name: 'demo-app-1', status: 'running', health: 'healthy' },
        { name: 'demo-app-2', status: 'running', health: 'unhealthy', problem: 'is unhealthy (expected healthy)' },
      ],
    });
  });

  it('sees a restarted container as starting until its healthcheck passes', async () => {
    const { engine, ctx } = setup();
    await engine.restart(engine.container('demo-app-1').id);
    expect((await healthProbe.run(spec('app'), ctx)).summary).toBe('demo-app-1 is starting (expected healthy)');
    engine.setState('demo-app-2', { health: 'starting' });
    engine.setState('demo-app-1', { health: 'starting' });
    expect((await healthProbe.run(spec('app', 'starting'), ctx)).ok).toBe(true);
  });

  it('says a container without a healthcheck cannot be healthy', async () => {
    const { ctx } = setup();
    const result = await healthProbe.run(spec('cache'), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-cache-1 has no healthcheck' });
  });

  it('"running" holds for a running container with or without healthcheck, not for a paused one', async () => {
    const { engine, ctx } = setup();
    expect((await healthProbe.run(spec('cache', 'running'), ctx)).summary).toBe('demo-cache-1 is running');
    await engine.pause(engine.container('demo-cache-1').id);
    expect(await healthProbe.run(spec('cache', 'running'), ctx)).toMatchObject({
      ok: false,
      summary: 'demo-cache-1 is paused (expected running)',
    });
  });

  it('reports an inspection failure as data', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-app-1', { removed: true });
    const result = await healthProbe.run(spec('app'), ctx);
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^demo-app-1 could not be inspected: No such container: [0-9a-f]{64}$/);
  });

  it('resolves "aborted" when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, ctx } = setup(controller.signal);
    expect(await healthProbe.run(spec('app'), ctx)).toMatchObject({ ok: false, summary: 'aborted' });
    expect(engine.calls).toHaveLength(0);
  });

  it('describes itself', () => {
    expect(healthProbe.describe(spec('app'))).toBe('every container of app is healthy');
  });
});

describe('judgeState', () => {
  it('requires a running container for healthy, whatever health an engine reports for it', () => {
    expect(judgeState({ status: 'running', health: 'healthy' }, 'healthy')).toBeUndefined();
    expect(judgeState({ status: 'exited', health: 'healthy' }, 'healthy')).toBe('is exited (expected healthy)');
    expect(judgeState({ status: 'paused', health: 'healthy' }, 'healthy')).toBe('is paused (expected healthy)');
  });

  it('compares Docker health for unhealthy and starting, whatever the process state', () => {
    expect(judgeState({ status: 'exited', health: 'unhealthy' }, 'unhealthy')).toBeUndefined();
    expect(judgeState({ status: 'running', health: 'healthy' }, 'unhealthy')).toBe('is healthy (expected unhealthy)');
    expect(judgeState({ status: 'running', health: 'starting' }, 'starting')).toBeUndefined();
    expect(judgeState({ status: 'running', health: 'none' }, 'starting')).toBe('has no healthcheck');
  });

  it('running ignores health entirely', () => {
    expect(judgeState({ status: 'running', health: 'unhealthy' }, 'running')).toBeUndefined();
    expect(judgeState({ status: 'restarting', health: 'none' }, 'running')).toBe('is restarting (expected running)');
  });
});
