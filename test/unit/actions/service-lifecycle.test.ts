import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/actions/action.js';
import {
  describeSteps,
  restartServiceAction,
  serviceLifecycleActionSchema,
  startServiceAction,
} from '../../../src/actions/service-lifecycle.js';
import { ScopeError } from '../../../src/errors.js';
import { FakeEngine } from '../../support/fake-engine.js';

function setup(signal: AbortSignal = new AbortController().signal) {
  const engine = new FakeEngine([{ service: 'app' }, { service: 'app' }, { service: 'app' }]);
  const ctx: ActionContext = { engine, topology: engine.topology(), signal };
  return { engine, ctx };
}

const start = serviceLifecycleActionSchema.parse({ kind: 'start', service: 'app' });
const restart = serviceLifecycleActionSchema.parse({ kind: 'restart', service: 'app' });

describe('start', () => {
  it('starts stopped containers, unpauses paused ones, leaves running ones alone', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-app-1', { status: 'exited' });
    engine.setState('demo-app-2', { status: 'paused' });
    const result = await startServiceAction.run(start, ctx);
    expect(result).toEqual({ ok: true, summary: 'started 1 container, unpaused 1 container, 1 already running' });
    expect(engine.containersOf('app').map((c) => c.status)).toEqual(['running', 'running', 'running']);
    expect(engine.callsTo('start')).toEqual([[engine.container('demo-app-1').id]]);
    expect(engine.callsTo('unpause')).toEqual([[engine.container('demo-app-2').id]]);
    expect(engine.callsTo('restart')).toHaveLength(0);
  });

  it('does nothing to a service that is already running, and says so', async () => {
    const { engine, ctx } = setup();
    expect(await startServiceAction.run(start, ctx)).toEqual({ ok: true, summary: 'all 3 containers already running' });
    expect(engine.callsTo('start')).toHaveLength(0);
  });

  it('fails when a container is not running after start (it crashed at once)', async () => {
    const { engine, ctx } = setup();
    const crashing = engine.container('demo-app-3');
    engine.setState(crashing.id, { status: 'exited' });
    // The process exits right after the engine started it: inspection afterwards sees it exited.
    let inspections = 0;
    engine.before('inspectState', ([id]) => {
      if (id === crashing.id && ++inspections === 2) engine.setState(crashing.id, { status: 'exited' });
    });
    const result = await startServiceAction.run(start, ctx);
    expect(result).toEqual({ ok: false, summary: 'started 1 container, 2 already running, but demo-app-3 is exited' });
  });

  it('fails naming the container the engine refused', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-app-1', { status: 'exited' });
    engine.failNext('start', new Error('driver failed programming external connectivity'));
    const result = await startServiceAction.run(start, ctx);
    expect(result).toEqual({ ok: false, summary: 'could not start demo-app-1: driver failed programming external connectivity' });
  });

  it('does nothing when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, ctx } = setup(controller.signal);
    expect(await startServiceAction.run(start, ctx)).toEqual({ ok: false, summary: 'aborted' });
    expect(engine.calls).toHaveLength(0);
  });
});

describe('restart', () => {
  it('restarts every container whatever its state, then confirms they run', async () => {
    const { engine, ctx } = setup();
    engine.setState('demo-app-2', { status: 'exited' });
    const result = await restartServiceAction.run(restart, ctx);
    expect(result).toEqual({ ok: true, summary: 'restarted 3 containers' });
    expect(engine.callsTo('restart')).toHaveLength(3);
    expect(engine.callsTo('inspectState')).toHaveLength(3);
    expect(engine.containersOf('app').every((c) => c.status === 'running' && c.startedAt !== undefined)).toBe(true);
  });

  it('throws ScopeError for an unknown service', async () => {
    const { ctx } = setup();
    const other = serviceLifecycleActionSchema.parse({ kind: 'restart', service: 'db' });
    await expect(restartServiceAction.run(other, ctx)).rejects.toBeInstanceOf(ScopeError);
  });
});

describe('wording', () => {
  it('describes each kind', () => {
    expect(startServiceAction.describe(start)).toBe('start every stopped container of app');
    expect(restartServiceAction.describe(restart)).toBe('restart every container of app');
  });

  it('describeSteps counts what was done', () => {
    expect(describeSteps([{ done: 'started' }])).toBe('started 1 container');
    expect(describeSteps([{ done: 'none' }])).toBe('1 container already running');
    expect(describeSteps([{ done: 'restarted' }, { done: 'restarted' }])).toBe('restarted 2 containers');
  });
});
