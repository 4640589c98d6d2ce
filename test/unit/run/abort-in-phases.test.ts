import { describe, expect, it } from 'vitest';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { DrillAbort } from '../../../src/run/abort.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap, EventType } from '../../../src/journal/events.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

/**
 * A signal can arrive in any phase. Whenever it does, every fault recorded so far is reverted
 * and verified: during injection (the fault may be half applied), during a wait, and during the
 * rollback itself (which must not be cut short).
 */

const PROJECT = 'shop';

function input(waitTimeout: string): PlaybookInput {
  return {
    name: 'region-down',
    title: 'Region down',
    summary: 'Region a is lost.',
    topology: { project: PROJECT },
    steps: [
      { name: 'lose region a', inject: { kind: 'region-loss', id: 'lost', region: 'a', mode: 'stop' } },
      { name: 'never back', wait: { probe: { kind: 'exec', service: 'db', command: ['false'] }, every: '1s', timeout: waitTimeout } },
    ],
  };
}

async function drillInterrupted(interruptWhen: (engine: FakeEngine, interrupt: () => void) => void, waitTimeout = '1m') {
  const clock = new FakeClock();
  const engine = new FakeEngine(
    [
      { service: 'web', project: PROJECT, labels: { 'firedrill.region': 'a' } },
      { service: 'app', project: PROJECT, labels: { 'firedrill.region': 'a' } },
      { service: 'db', project: PROJECT, labels: { 'firedrill.region': 'b' } },
    ],
    { project: PROJECT },
  );
  engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: 'down' }));
  const plan = await planDrill(
    { playbook: playbookSchema.parse(input(waitTimeout)), file: 'drill.yaml', sha256: 'x'.repeat(64), project: PROJECT },
    engine,
  );
  const bus = new EventBus(clock);
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const controller = new AbortController();
  interruptWhen(engine, () => controller.abort(new DrillAbort('signal', 'received SIGTERM')));
  const outcome = await runDrill({ plan, engine, clock, bus, runId: 'run-1', firedrillVersion: '0.0.0', signal: controller.signal });
  const of = <T extends EventType>(type: T) => events.filter((e) => e.type === type).map((e) => e.data as EventMap[T]);
  return { outcome, of, engine };
}

describe('a signal in each phase of a drill', () => {
  it('during injection, after the first container stopped: both are started again, exit 4', async () => {
    let stops = 0;
    const { outcome, of, engine } = await drillInterrupted((fake, interrupt) =>
      fake.before('stop', () => {
        stops += 1;
        if (stops === 1) interrupt();
      }),
    );
    expect(outcome).toMatchObject({ verdict: 'aborted', exitCode: 4 });
    expect(of('drill.aborting')).toEqual([{ cause: 'signal', reason: 'received SIGTERM' }]);
    for (const service of ['web', 'app']) expect(engine.containersOf(service)[0]!.status).toBe('running');
    expect(of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'lost', verified: true })]);
  });

  it('during the rollback (the wait had failed): the rollback is not cut short, both containers start, verified', async () => {
    const { outcome, of, engine } = await drillInterrupted((fake, interrupt) => fake.before('start', () => interrupt()), '3s');
    expect(outcome.exitCode).toBe(1);
    expect(engine.callsTo('start')).toHaveLength(2);
    for (const service of ['web', 'app']) expect(engine.containersOf(service)[0]!.status).toBe('running');
    expect(of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'lost', verified: true })]);
    expect(of('drill.aborting').map((a) => a.cause)).toEqual(['step-failed']);
  });
});
