import { ContainerGoneError } from '../../../src/engine/container-gone.js';
import { describe, expect, it } from 'vitest';
import { FakeEngine, FakeEngineError } from '../../support/fake-engine.js';

// The FakeEngine stands in for Docker in every unit test (runner included), so its own
// behaviour is pinned here: Docker's "already so" answers and refusals, recording, scripting.

function engine() {
  return new FakeEngine(
    [
      { service: 'app-a', labels: { 'firedrill.region': 'a' }, health: 'healthy' },
      { service: 'app-b', labels: { 'firedrill.region': 'b' }, networks: ['demo_default', 'demo_backend'] },
      { service: 'db' },
      { service: 'other', project: 'elsewhere' },
    ],
    { networks: ['demo_unused'] },
  );
}

describe('FakeEngine', () => {
  it('names and numbers containers as compose v2 does, with stable 64-hex ids', () => {
    const fake = engine();
    const a = fake.container('demo-app-a-1');
    expect(a).toMatchObject({ service: 'app-a', number: 1, project: 'demo', status: 'running', health: 'healthy' });
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
    expect(new FakeEngine([{ service: 'app-a' }]).container('demo-app-a-1').id).toBe(a.id);
    expect(a.labels['com.docker.compose.service']).toBe('app-a');
    expect(() => fake.container('nope')).toThrow(/no container "nope"/);
  });

  it('moves containers through Docker lifecycle states', async () => {
    const fake = engine();
    const { id } = fake.container('demo-app-a-1');
    await fake.pause(id);
    expect(await fake.inspectState(id)).toMatchObject({ status: 'paused', health: 'unhealthy' });
    await fake.unpause(id);
    await fake.unpause(id); // already running: resolves
    await fake.kill(id, 'SIGKILL');
    expect(await fake.inspectState(id)).toMatchObject({ status: 'exited', health: 'unhealthy' });
    await fake.stop(id); // already stopped: resolves
    await fake.start(id);
    expect(await fake.inspectState(id)).toMatchObject({ status: 'running', health: 'starting' });
    expect((await fake.inspectState(id)).startedAt).toMatch(/^2026-/);
    await fake.start(id); // already running: resolves
    expect(fake.calls.map((c) => c.method)).toEqual([
      'pause',
      'inspectState',
      'unpause',
      'unpause',
      'kill',
      'inspectState',
      'stop',
      'start',
      'inspectState',
      'inspectState',
      'start',
    ]);
    expect(fake.callsTo('kill')).toEqual([[id, 'SIGKILL']]);
  });

  it('refuses what Docker refuses, with its status codes', async () => {
    const fake = engine();
    const { id } = fake.container('demo-db-1');
    await fake.stop(id);
    await expect(fake.kill(id)).rejects.toMatchObject({ statusCode: 409 });
    await expect(fake.pause(id)).rejects.toMatchObject({ statusCode: 409 });
    await expect(fake.exec(id, ['true'])).rejects.toThrow(/is not running/);
    await fake.start(id);
    await fake.pause(id);
    await expect(fake.start(id)).rejects.toThrow(/try unpause/);
    await expect(fake.exec(id, ['true'])).rejects.toThrow(/is paused/);
    // As the Docker adapter does with Docker's 404 "No such container".
    await expect(fake.inspectState('0'.repeat(64))).rejects.toBeInstanceOf(ContainerGoneError);
    fake.setState(id, { removed: true });
    await expect(fake.inspectState(id)).rejects.toBeInstanceOf(ContainerGoneError);
  });

  it('scripts exec results and failures, and honours abort', async () => {
    const fake = engine();
    const { id } = fake.container('demo-db-1');
    expect(await fake.exec(id, ['true'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    fake.onExec((_id, command) => ({ exitCode: 7, stdout: command.join(' '), stderr: '' }));
    expect(await fake.exec(id, ['echo', 'x'], { timeoutMs: 100 })).toEqual({ exitCode: 7, stdout: 'echo x', stderr: '' });
    expect(fake.callsTo('exec')[1]).toEqual([id, ['echo', 'x'], 100]);
    fake.failNext('exec', new Error('boom'));
    fake.failNext('exec');
    await expect(fake.exec(id, ['true'])).rejects.toThrow('boom');
    await expect(fake.exec(id, ['true'])).rejects.toThrow('exec failed (scripted)');
    expect((await fake.exec(id, ['true'])).exitCode).toBe(7);

    const controller = new AbortController();
    fake.onExec(() => new Promise(() => undefined));
    const pending = fake.exec(id, ['sleep'], { signal: controller.signal });
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
  });

  it('runs hooks before a method acts; a throwing hook fails the call', async () => {
    const fake = engine();
    const { id } = fake.container('demo-db-1');
    fake.before('restart', () => {
      throw new FakeEngineError(500, 'restart refused');
    });
    await expect(fake.restart(id)).rejects.toThrow('restart refused');
    expect(fake.callsTo('restart')).toHaveLength(1);
  });

  it('tracks networks and aliases through disconnect and connect', async () => {
    const fake = engine();
    const { id } = fake.container('demo-app-b-1');
    const before = await fake.attachedNetworks(id);
    expect(before.map((n) => n.networkName)).toEqual(['demo_default', 'demo_backend']);
    expect(before[0]?.aliases).toEqual(['app-b', id.slice(0, 12)]);
    const backend = before[1]!;
    await fake.disconnect(backend.networkId, id);
    await fake.disconnect(backend.networkId, id); // not attached: resolves
    expect((await fake.attachedNetworks(id)).map((n) => n.networkName)).toEqual(['demo_default']);
    await fake.connect(backend.networkId, id, { aliases: ['app-b'] });
    expect((await fake.attachedNetworks(id))[1]).toEqual({ networkId: backend.networkId, networkName: 'demo_backend', aliases: ['app-b'] });
    await expect(fake.connect(backend.networkId, id, { aliases: ['app-b'] })).rejects.toMatchObject({ statusCode: 403 });
    await expect(fake.connect('f'.repeat(64), id, { aliases: [] })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('discovers its project only, and builds a Topology with regions', async () => {
    const fake = engine();
    expect((await fake.listProjectContainers('demo')).map((c) => c.name)).toEqual(['demo-app-a-1', 'demo-app-b-1', 'demo-db-1']);
    expect((await fake.listProjectNetworks('demo')).map((n) => n.name).sort()).toEqual(['demo_backend', 'demo_default', 'demo_unused']);
    expect(await fake.ping()).toEqual({ version: '20.10.24', apiVersion: '1.41' });

    const topology = fake.topology({ regions: { b: ['db'] } });
    expect(topology.services.map((s) => [s.name, s.region])).toEqual([
      ['app-a', 'a'],
      ['app-b', 'b'],
      ['db', 'b'],
    ]);
    expect(topology.regions).toEqual({ a: ['app-a'], b: ['app-b', 'db'] });
    expect(topology.project).toBe('demo');
    // A snapshot: later state changes do not leak into it.
    await fake.kill(fake.container('demo-db-1').id);
    expect(topology.services[2]?.containers[0]?.status).toBe('running');
  });
});
