import { EventBus } from '../../../src/run/event-bus.js';
import type { EventMap, EventType, StepOutline } from '../../../src/journal/events.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { FakeClock } from '../../support/fake-clock.js';

/**
 * Emits a drill's events on a real EventBus at chosen moments of a FakeClock, so that the
 * times the UI prints are known exactly. `at(ms)` moves the clock to `ms` after the bus was
 * created (the drill's time origin); the clock's wall time starts at 2026-11-21T09:00:00Z.
 */
export class DrillScript {
  readonly clock = new FakeClock();
  readonly bus = new EventBus(this.clock);
  private nowMs = 0;

  at(ms: number): this {
    if (ms < this.nowMs) throw new Error(`the script goes back in time: ${ms} < ${this.nowMs}`);
    this.clock.advance(ms - this.nowMs);
    this.nowMs = ms;
    return this;
  }

  emit<T extends EventType>(type: T, data: EventMap[T]): this {
    this.bus.emit(type, data);
    return this;
  }

  /** A wait step's samples, one every `everyMs` from `fromMs`: `okAt` lists the samples that hold. */
  samples(index: number, opts: { fromMs: number; everyMs: number; count: number; okAt?: number[]; failing?: string }): this {
    let streak = 0;
    for (let sample = 1; sample <= opts.count; sample += 1) {
      const ok = opts.okAt?.includes(sample) ?? false;
      streak = ok ? streak + 1 : 0;
      this.at(opts.fromMs + opts.everyMs * (sample - 1)).emit('probe.sample', {
        section: 'steps',
        index,
        sample,
        ok,
        summary: ok ? 'HTTP 200 in 3ms' : (opts.failing ?? 'connection refused'),
        latencyMs: 3,
        streak,
      });
    }
    return this;
  }
}

export const HEALTH = 'GET http://127.0.0.1:8080/health → 200';

export function outline(index: number, name: string, action: StepOutline['action'], describe: string, rtoMs?: number): StepOutline {
  return { index, name, action, describe, ...(rtoMs !== undefined ? { rtoMs } : {}) };
}

/** lose region a → wait for the edge → restart edge; one restore step. Indexes are 0-based, as the runner's. */
export const STEPS: StepOutline[] = [
  outline(0, 'lose region a', 'inject', 'kill every container of region a'),
  outline(1, 'edge fails over', 'wait', `wait until ${HEALTH} (every 250ms, up to 30s)`, 15_000),
  outline(2, 'restart edge', 'run', 'restart service edge'),
];

export const RESTORE: StepOutline[] = [outline(0, 're-point replicas', 'run', 'exec redis-cli replicaof in db-a-1')];

export function drillStarted(overrides: Partial<EventMap['drill.started']> = {}): EventMap['drill.started'] {
  return {
    runId: '20261121-090000-region-a',
    firedrillVersion: '0.1.0',
    playbook: { name: 'region-a', title: 'Region A goes dark', summary: 'Region A is lost.', file: 'drills/region-a.yaml', sha256: 'ab12' },
    project: 'demo',
    endpoint: 'unix:///var/run/docker.sock',
    objectives: { rtoMs: 20_000 },
    timeLimitMs: 600_000,
    rollback: 'always',
    steps: STEPS,
    restore: RESTORE,
    steadyState: [HEALTH],
    ...overrides,
  };
}

export const REGION_A_FAULT: FaultRecord = {
  ref: 'a-down',
  kind: 'region-loss',
  revertible: true,
  spec: { kind: 'region-loss', region: 'a' },
  targets: [
    { containerId: 'c1', name: 'demo-app-a-1', service: 'app-a' },
    { containerId: 'c2', name: 'demo-db-a-1', service: 'db-a' },
  ],
};

/** Everything up to the fault being in effect at 400 ms, as every scenario starts. */
export function throughInjection(script: DrillScript, started = drillStarted()): DrillScript {
  return script
    .emit('drill.started', started)
    .emit('topology.resolved', {
      services: [
        { name: 'app-a', region: 'a', containers: [container('c1', 'demo-app-a-1', 'app-a')] },
        { name: 'db-a', region: 'a', containers: [container('c2', 'demo-db-a-1', 'db-a')] },
        { name: 'edge', containers: [container('c3', 'demo-edge-1', 'edge')] },
      ],
      regions: { a: ['app-a', 'db-a'] },
      networks: [{ id: 'n1', name: 'demo_default' }],
    })
    .emit('phase.started', { phase: 'steady-state-before' })
    .at(120)
    .emit('steady.checked', { phase: 'before', probe: HEALTH, ok: true, summary: 'HTTP 200 in 4ms', attempts: 1 })
    .emit('phase.started', { phase: 'steps' })
    .emit('step.started', stepStarted(0))
    .emit('fault.injecting', {
      section: 'steps',
      index: 0,
      record: REGION_A_FAULT,
      plan: [{ apply: 'kill demo-app-a-1 (app-a)' }, { apply: 'kill demo-db-a-1 (db-a)' }],
    })
    .at(400)
    .emit('fault.applied', { ref: 'a-down', kind: 'region-loss', targets: ['demo-app-a-1', 'demo-db-a-1'], injectMs: 279.2 })
    .emit('step.finished', { section: 'steps', index: 0, status: 'passed', durationMs: 280.1 });
}

export function stepStarted(index: number, section: 'steps' | 'restore' = 'steps'): EventMap['step.started'] {
  const step = (section === 'steps' ? STEPS : RESTORE)[index]!;
  return { section, index, name: step.name, action: step.action, describe: step.describe };
}

function container(id: string, name: string, service: string) {
  return { id, name, service, status: 'running', health: 'healthy' };
}
