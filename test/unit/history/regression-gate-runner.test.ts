import { describe, expect, it } from 'vitest';
import type { RegressionGate } from '../../../src/run/regression.js';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap } from '../../../src/journal/events.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

const PROJECT = 'shop';
const probe = { kind: 'exec' as const, service: 'db', command: ['check-app'] };

const input: PlaybookInput = {
  name: 'app-crash',
  title: 'App crash',
  summary: 'The app crashes.',
  topology: { project: PROJECT },
  steps: [
    { name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } },
    { name: 'app serves again', wait: { probe, every: '250ms', timeout: '20s', rto: '10s' } },
  ],
};

/** The baseline recovered in about 1s, measured every 250ms. */
const GATE: RegressionGate = {
  maxRegressionPct: 50,
  baseline: {
    runId: '20261120T090000Z-app-crash-aaaaaa',
    startedAt: '2026-11-20T09:00:00.000Z',
    verdict: 'passed',
    passedOver: 0,
    objectives: [{ scope: 'step', index: 1, name: 'app serves again', measuredMs: 1000, resolutionMs: 250 }],
  },
};

/** Runs the drill with the FakeEngine; the app serves again `recoversAtMs` after the clock starts. */
async function drill(recoversAtMs: number, regressionGate?: RegressionGate) {
  const clock = new FakeClock();
  const engine = new FakeEngine(
    [
      { service: 'app', project: PROJECT, status: 'running' },
      { service: 'db', project: PROJECT, status: 'running' },
    ],
    { project: PROJECT },
  );
  engine.onExec((_id, command) =>
    command.join(' ') === 'check-app' && clock.elapsedMs() < recoversAtMs
      ? { exitCode: 1, stdout: '', stderr: 'down' }
      : { exitCode: 0, stdout: 'ok', stderr: '' },
  );
  const plan = await planDrill(
    { playbook: playbookSchema.parse(input), file: 'drill.yaml', sha256: 'x'.repeat(64), project: PROJECT },
    engine,
  );
  const bus = new EventBus(clock);
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const outcome = await runDrill({
    plan,
    engine,
    clock,
    bus,
    runId: 'run-1',
    firedrillVersion: '0.0.0',
    signal: new AbortController().signal,
    ...(regressionGate ? { regressionGate } : {}),
  });
  return { outcome, events, types: events.map((e) => e.type) };
}

describe('runDrill with a regression gate', () => {
  it('fails a drill that met its objective but recovered far slower than the baseline, and journals why', async () => {
    const { outcome, events, types } = await drill(3000, GATE);
    expect(outcome).toEqual({ verdict: 'failed', exitCode: 1, reason: 'recovery time regressed beyond 50% on 1 objective(s)' });
    const objective = events.find((e) => e.type === 'objective.evaluated')?.data as EventMap['objective.evaluated'];
    expect(objective).toMatchObject({ met: true, targetMs: 10_000 });
    const check = events.find((e) => e.type === 'regression.checked')?.data as EventMap['regression.checked'];
    expect(check).toMatchObject({ baselineRunId: GATE.baseline.runId, maxRegressionPct: 50, regressed: 1 });
    expect(check.baselineRunId !== null && check.objectives).toEqual([
      expect.objectContaining({
        name: 'app serves again',
        scope: 'step',
        index: 1,
        baselineMs: 1000,
        measuredMs: objective.measuredMs,
        outcome: 'regressed',
        regressed: true,
      }),
    ]);
    // After every objective, before the rollback and the verdict.
    expect(types.lastIndexOf('objective.evaluated')).toBeLessThan(types.indexOf('regression.checked'));
    expect(types.indexOf('regression.checked')).toBeLessThan(types.indexOf('fault.reverted'));
    expect(types.at(-1)).toBe('drill.finished');
  });

  it('passes a drill as fast as the baseline, and one with no baseline, saying so in the journal', async () => {
    const same = await drill(1000, GATE);
    expect(same.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(same.events.find((e) => e.type === 'regression.checked')?.data).toMatchObject({ regressed: 0 });

    const first = await drill(3000, { maxRegressionPct: 50, baseline: { runId: null, reason: 'no earlier finished run' } });
    expect(first.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(first.events.find((e) => e.type === 'regression.checked')?.data).toEqual({
      baselineRunId: null,
      maxRegressionPct: 50,
      reason: 'no earlier finished run',
      regressed: 0,
    });
  });

  it('journals nothing about regressions without a gate', async () => {
    const { outcome, types } = await drill(3000);
    expect(outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(types).not.toContain('regression.checked');
  });
});
