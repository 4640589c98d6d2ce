import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../../src/report/write-reports.js';
import { FakeEngineError } from '../../support/fake-engine.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { checkApp, checkB, guardedPlaybook, pauseApp, runGuardedDrill } from './support/guarded-drill.js';

const tempDir = useTempDir();

/** Waits for the app to answer again, measuring from the pause. */
const appAnswers = { name: 'app answers again', wait: { probe: checkApp, every: '250ms', timeout: '10s', rto: '5s' } };

describe('a fault with maxDuration', () => {
  it('is reverted when it is up, mid-wait; the wait goes on, but what it then sees is no recovery', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({ objectives: { rto: '5s' }, steps: [pauseApp({ maxDuration: '2s' }), appAnswers] }),
    );
    expect(drill.of('fault.expired')).toEqual([{ ref: 'freeze', kind: 'service', maxDurationMs: 2000, appliedForMs: 2000 }]);
    expect(drill.atMs('fault.expired')).toBe(2000);
    // The wait step saw the app back only because the expiry unpaused it: no recovery time is claimed.
    const [wait] = drill.of('wait.finished');
    expect(wait).toMatchObject({
      met: true,
      reference: { ref: 'freeze', kind: 'service' },
      recoveryMs: null,
      resolutionMs: 250,
      referenceExpired: { maxDurationMs: 2000, heldAfterMs: 2000 },
    });
    expect(drill.of('step.finished')[1]?.status).toBe('passed');
    const because = 'the fault was reverted at its maxDuration (2s) before the system recovered by itself';
    expect(drill.of('objective.evaluated')).toEqual([
      {
        scope: 'step',
        index: 1,
        name: 'app answers again',
        targetMs: 5000,
        measuredMs: null,
        resolutionMs: 250,
        met: false,
        note: because,
      },
      {
        scope: 'drill',
        name: 'overall recovery time',
        targetMs: 5000,
        measuredMs: null,
        resolutionMs: null,
        met: false,
        note: 'fault "freeze" was reverted at its maxDuration (2s) before the system recovered by itself',
      },
    ]);
    // Not measured counts as missed.
    expect(drill.outcome).toMatchObject({ verdict: 'failed', exitCode: 1 });
    // Reverted once: the final rollback found nothing left to revert.
    expect(drill.engine.callsTo('unpause')).toHaveLength(1);
    expect(drill.of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'freeze', verified: true })]);
    expect(drill.types.indexOf('fault.expired')).toBeLessThan(drill.types.indexOf('fault.reverted'));
    expect(drill.types.indexOf('fault.reverted')).toBeLessThan(drill.types.indexOf('wait.finished'));
  });

  it('does not stand in the way of a recovery seen before it was up', async () => {
    // Region b answers again 1.5s after the start on its own; the fault's maxDuration is 2s.
    const bAnswers = { name: 'region b answers', wait: { probe: checkB, every: '250ms', timeout: '10s', rto: '5s' } };
    const drill = await runGuardedDrill(
      guardedPlaybook({ steps: [pauseApp({ maxDuration: '2s' }), bAnswers, { name: 'hold it', pause: '1s' }] }),
      {
        regionB: (elapsedMs) => elapsedMs >= 1500,
      },
    );
    expect(drill.atMs('fault.expired')).toBe(2000);
    const [wait] = drill.of('wait.finished');
    expect(wait).toMatchObject({ met: true, recoveryMs: 1500 });
    expect(wait).not.toHaveProperty('referenceExpired');
    expect(drill.of('objective.evaluated')).toEqual([expect.objectContaining({ measuredMs: 1500, met: true })]);
    expect(drill.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });

  it('makes a wait that starts after it was up measure nothing: the revert is all it sees', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({ steps: [pauseApp({ maxDuration: '1s' }), { name: 'hold it', pause: '2s' }, appAnswers] }),
    );
    // Its probe sampled from the fault on (0, 250 … 750ms failing) and first held at the expiry itself.
    expect(drill.of('wait.finished')).toEqual([
      expect.objectContaining({ met: true, samples: 5, recoveryMs: null, referenceExpired: { maxDurationMs: 1000, heldAfterMs: 1000 } }),
    ]);
    expect(drill.of('objective.evaluated')).toEqual([
      expect.objectContaining({
        measuredMs: null,
        met: false,
        note: 'the fault was reverted at its maxDuration (1s) before the system recovered by itself',
      }),
    ]);
    expect(drill.outcome.exitCode).toBe(1);
  });

  it('is reverted even while a long pause step is still running', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({ steps: [pauseApp({ maxDuration: '1500ms' }), { name: 'hold it', pause: '5s' }] }),
    );
    expect(drill.atMs('fault.expired')).toBe(1500);
    expect(drill.of('step.finished').map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(drill.of('step.finished')[1]?.durationMs).toBe(5000);
    expect(drill.engine.callsTo('unpause')).toHaveLength(1);
    // Nothing was left for the final rollback to revert.
    expect(drill.of('phase.started').map((p) => p.phase)).not.toContain('rollback');
  });

  it('stays pending for the final rollback when its revert at expiry is not verified', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '1s' }), { name: 'hold it', pause: '3s' }] }), {
      beforeRun: (engine) => engine.failNext('unpause', new FakeEngineError(500, 'unpause refused (scripted)')),
    });
    expect(drill.of('fault.reverted').map((r) => r.verified)).toEqual([false, true]);
    expect(drill.engine.containersOf('app')[0]!.status).toBe('running');
    expect(drill.outcome.exitCode).toBe(0);
  });

  it('is not reverted again after a revert step, nor when the drill ends first', async () => {
    const early = await runGuardedDrill(
      guardedPlaybook({
        steps: [
          pauseApp({ maxDuration: '2s' }),
          { name: 'unfreeze', run: { kind: 'revert', fault: 'freeze' } },
          { name: 'hold it', pause: '3s' },
        ],
      }),
    );
    expect(early.of('fault.expired')).toEqual([]);
    expect(early.engine.callsTo('unpause')).toHaveLength(1);

    const late = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '1m' }), { name: 'hold it', pause: '2s' }] }));
    // Let the fake clock run out whatever is still waiting on it: the expiry must not be.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(late.clock.elapsedMs()).toBeLessThan(60_000);
    expect(late.of('fault.expired')).toEqual([]);
    expect(late.engine.callsTo('unpause')).toHaveLength(1);
  });

  it('is told in the report: when it was up and that the steps went on', async () => {
    const dir = tempDir();
    const plainLog: string[] = [];
    await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '2s' }), appAnswers] }), {
      journalPath: join(dir, 'journal.jsonl'),
      plainLog,
    });
    const { model } = await writeReports(dir);
    expect(model.faults[0]).toMatchObject({
      ref: 'freeze',
      expiry: { atMs: 2000, maxDurationMs: 2000, appliedForMs: 2000 },
      revert: { atMs: 2000, verified: true },
    });
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('in effect from +0.000s until its maximum duration of 2s was up at +2.000s.');
    expect(markdown).toContain(
      '- `freeze` (pause every container of service app): its maximum duration of 2s was up at +2.000s, so it was reverted while the steps went on; reverted and verified at +2.000s.',
    );
    expect(markdown).toContain('Fault `freeze` (service) reached its maximum duration of 2s: reverting it while the steps go on.');
    // What the wait saw after the expiry is told as such, not as a recovery time.
    expect(markdown).toContain(
      '- **app answers again**: held from +2.000s, but only after firedrill had reverted the fault (`freeze`, at +0.000s) when its maximum duration of 2s was up: it was not seen to recover by itself, so no recovery time was measured.',
    );
    expect(markdown).toContain('only after fault `freeze` was reverted at its maximum duration of 2s, so no recovery time.');
    expect(markdown).toContain('not measured: the fault was reverted at its maxDuration (2s) before the system recovered by itself');
    expect(markdown).not.toMatch(/recovered [\d.]+s after fault/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { faults: Record<string, unknown>[] };
    expect(json.faults[0]).toMatchObject({ maxDurationMs: 2000, expiredAtMs: 2000, reverted: true, verified: true });
    expect(plainLog).toContainEqual(
      expect.stringMatching(
        / \+2\.000s fault "freeze" \(service\) reached its maximum duration of 2s after 2\.000s: reverting it while the steps go on$/,
      ),
    );
    expect(plainLog).toContainEqual(
      expect.stringContaining(
        '9 samples; healthy from +2.000s; only after fault "freeze" was reverted at its maximum duration of 2s, so no recovery time',
      ),
    );
  });
});
