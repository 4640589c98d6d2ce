import { describe, expect, it } from 'vitest';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { DrillAbort } from '../../../src/run/abort.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap, EventType } from '../../../src/journal/events.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

const PROJECT = 'shop';

/** An app whose own clock says when it serves again: `recoversAtMs` after the clock starts. */
function setup(recoversAtMs: number) {
  const clock = new FakeClock();
  const engine = new FakeEngine(
    [
      { service: 'app', project: PROJECT, status: 'running', labels: { 'firedrill.region': 'a' } },
      { service: 'db', project: PROJECT, status: 'running', labels: { 'firedrill.region': 'b' } },
    ],
    { project: PROJECT },
  );
  engine.onExec((_id, command) => {
    if (command.join(' ') === 'check-app') {
      return clock.elapsedMs() >= recoversAtMs ? { exitCode: 0, stdout: 'ok', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'down' };
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  });
  return { clock, engine };
}

const probe = { kind: 'exec' as const, service: 'db', command: ['check-app'] };

function playbook(overrides: Partial<PlaybookInput> = {}): PlaybookInput {
  return {
    name: 'app-crash',
    title: 'App crash',
    summary: 'The app crashes.',
    topology: { project: PROJECT },
    objectives: { rto: '10s' },
    steps: [
      { name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } },
      { name: 'app serves again', wait: { probe, every: '250ms', timeout: '20s', rto: '5s' } },
    ],
    ...overrides,
  };
}

async function drill(
  input: PlaybookInput,
  recoversAtMs: number,
  opts: { abortAtMs?: number; beforeRun?: (engine: FakeEngine) => void } = {},
) {
  const { clock, engine } = setup(recoversAtMs);
  const parsed = playbookSchema.parse(input);
  const plan = await planDrill({ playbook: parsed, file: 'drill.yaml', sha256: 'x'.repeat(64), project: PROJECT }, engine);
  const bus = new EventBus(clock);
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const interrupt = new AbortController();
  if (opts.abortAtMs !== undefined) {
    void clock.sleep(opts.abortAtMs).then(() => interrupt.abort(new DrillAbort('signal', 'received SIGINT')));
  }
  opts.beforeRun?.(engine);
  const outcome = await runDrill({ plan, engine, clock, bus, runId: 'run-1', firedrillVersion: '0.0.0', signal: interrupt.signal });
  const of = <T extends EventType>(type: T) => events.filter((e) => e.type === type).map((e) => e.data as EventMap[T]);
  return { outcome, events, of, engine, clock };
}

describe('runDrill', () => {
  it('measures recovery from the fault to the first healthy sample, and passes within the objective', async () => {
    const { outcome, of, engine } = await drill(playbook(), 3000);
    expect(outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    const [wait] = of('wait.finished');
    expect(wait?.met).toBe(true);
    // The app recovers 3000ms after the clock starts; injection happens at ~0ms; samples every 250ms.
    expect(wait!.recoveryMs).toBeGreaterThanOrEqual(3000);
    expect(wait!.recoveryMs).toBeLessThanOrEqual(3250);
    expect(wait!.resolutionMs).toBe(250);
    const objectives = of('objective.evaluated');
    expect(objectives.map((o) => [o.scope, o.met])).toEqual([
      ['step', true],
      ['drill', true],
    ]);
    // The killed container was started again by the rollback, and the revert was verified.
    expect(engine.containersOf('app')[0]!.status).toBe('running');
    expect(of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'crash', verified: true })]);
  });

  it('records the fault before applying it, and the reference point after', async () => {
    const { events } = await drill(playbook(), 1000);
    const types = events.map((e) => e.type);
    expect(types.indexOf('fault.injecting')).toBeLessThan(types.indexOf('fault.applied'));
    expect(types.at(0)).toBe('drill.started');
    expect(types.at(-1)).toBe('drill.finished');
  });

  it('misses the objective when recovery is slower than the RTO, and still rolls back', async () => {
    const { outcome, of, engine } = await drill(playbook(), 7000);
    expect(outcome).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const step = of('objective.evaluated').find((o) => o.scope === 'step');
    expect(step).toMatchObject({ met: false, targetMs: 5000 });
    expect(step!.measuredMs).toBeGreaterThanOrEqual(7000);
    expect(engine.containersOf('app')[0]!.status).toBe('running');
  });

  it('fails the step when the condition never holds, skips the rest, and rolls back', async () => {
    const input = playbook({
      steps: [
        { name: 'crash', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'pause' } },
        { name: 'never', wait: { probe, every: '1s', timeout: '3s' } },
        { name: 'after', pause: '1s' },
      ],
    });
    const { outcome, of, engine } = await drill(input, 60_000);
    expect(outcome.exitCode).toBe(1);
    expect(of('step.finished').map((s) => s.status)).toEqual(['passed', 'failed', 'not-run']);
    expect(of('drill.aborting')[0]?.cause).toBe('step-failed');
    expect(engine.containersOf('app')[0]!.status).toBe('running');
    expect(of('objective.evaluated')[0]).toMatchObject({ scope: 'drill', met: false, measuredMs: null });
  });

  it('aborts on a signal mid-wait, rolls back and says why', async () => {
    const { outcome, of, engine } = await drill(playbook(), 60_000, { abortAtMs: 2000 });
    expect(outcome).toMatchObject({ verdict: 'aborted', exitCode: 4 });
    expect(of('drill.aborting')).toEqual([{ cause: 'signal', reason: 'received SIGINT' }]);
    expect(engine.containersOf('app')[0]!.status).toBe('running');
  });

  it('aborts when the time limit passes', async () => {
    const { outcome, of } = await drill(playbook({ timeLimit: '2s' }), 60_000);
    expect(outcome.exitCode).toBe(4);
    expect(of('drill.aborting')[0]?.cause).toBe('time-limit');
  });

  it('reports rollback incomplete when a revert cannot be verified', async () => {
    const { outcome, of } = await drill(playbook(), 1000, {
      beforeRun: (engine) => {
        // Every start fails: the killed container cannot be brought back.
        engine.before('start', () => {
          throw new Error('start refused');
        });
      },
    });
    expect(outcome).toMatchObject({ verdict: 'rollback-incomplete', exitCode: 5 });
    const [reverted] = of('fault.reverted');
    expect(reverted?.verified).toBe(false);
    expect(of('faults.remaining')[0]?.refs).toEqual(['crash']);
  });

  it('aborts before injecting anything when the steady state does not hold', async () => {
    const input = playbook({ steadyState: { probes: [probe], within: '2s', every: '500ms' } });
    const { outcome, engine, of } = await drill(input, 60_000);
    expect(outcome.exitCode).toBe(4);
    expect(of('drill.aborting')[0]?.cause).toBe('steady-state');
    expect(engine.callsTo('kill')).toHaveLength(0);
  });

  it('runs restore steps after the rollback, then checks the steady state again', async () => {
    const input = playbook({
      steadyState: { probes: [{ kind: 'exec', service: 'db', command: ['true'] }] },
      restore: [{ name: 'resync', run: { kind: 'exec', service: 'db', command: ['resync'] } }],
    });
    const { outcome, events } = await drill(input, 1000);
    expect(outcome.exitCode).toBe(0);
    const phases = events.filter((e) => e.type === 'phase.started').map((e) => (e.data as EventMap['phase.started']).phase);
    expect(phases).toEqual(['steady-state-before', 'steps', 'rollback', 'restore', 'steady-state-after']);
  });

  it('reverts a fault early on request and does not revert it twice', async () => {
    const input = playbook({
      steps: [
        { name: 'pause', inject: { kind: 'service', id: 'freeze', service: 'app', mode: 'pause' } },
        { name: 'unpause', run: { kind: 'revert', fault: 'freeze' } },
      ],
      objectives: {},
    });
    const { outcome, of, engine } = await drill(input, 0);
    expect(outcome.exitCode).toBe(0);
    expect(of('fault.reverted')).toHaveLength(1);
    expect(engine.callsTo('unpause')).toHaveLength(1);
  });
});
