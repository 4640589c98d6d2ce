import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../../src/report/write-reports.js';
import { FakeEngineError } from '../../support/fake-engine.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { checkApp, guardedPlaybook, pauseApp, runGuardedDrill } from './support/guarded-drill.js';

const tempDir = useTempDir();

/** Waits for the app to answer again, measuring from the pause. */
const appAnswers = { name: 'app answers again', wait: { probe: checkApp, every: '250ms', timeout: '10s', rto: '5s' } };

describe('a fault with maxDuration', () => {
  it('is reverted when it is up, mid-wait, and the wait goes on measuring from the fault', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '2s' }), appAnswers] }));
    expect(drill.of('fault.expired')).toEqual([{ ref: 'freeze', kind: 'service', maxDurationMs: 2000, appliedForMs: 2000 }]);
    expect(drill.atMs('fault.expired')).toBe(2000);
    // The wait step saw the app back once the expiry unpaused it, 2s after the fault.
    const [wait] = drill.of('wait.finished');
    expect(wait).toMatchObject({ met: true, reference: { ref: 'freeze', kind: 'service' }, recoveryMs: 2000, resolutionMs: 250 });
    expect(drill.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    // Reverted once: the final rollback found nothing left to revert.
    expect(drill.engine.callsTo('unpause')).toHaveLength(1);
    expect(drill.of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'freeze', verified: true })]);
    expect(drill.types.indexOf('fault.expired')).toBeLessThan(drill.types.indexOf('fault.reverted'));
    expect(drill.types.indexOf('fault.reverted')).toBeLessThan(drill.types.indexOf('wait.finished'));
  });

  it('is reverted even while a long pause step is still running', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '1500ms' }), { name: 'hold it', pause: '5s' }] }));
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
        steps: [pauseApp({ maxDuration: '2s' }), { name: 'unfreeze', run: { kind: 'revert', fault: 'freeze' } }, { name: 'hold it', pause: '3s' }],
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
    await runGuardedDrill(guardedPlaybook({ steps: [pauseApp({ maxDuration: '2s' }), appAnswers] }), { journalPath: join(dir, 'journal.jsonl'), plainLog });
    const { model } = await writeReports(dir);
    expect(model.faults[0]).toMatchObject({ ref: 'freeze', expiry: { atMs: 2000, maxDurationMs: 2000, appliedForMs: 2000 }, revert: { atMs: 2000, verified: true } });
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('in effect from +0.000s until its maximum duration of 2s was up at +2.000s.');
    expect(markdown).toContain('- `freeze` (pause every container of service app): its maximum duration of 2s was up at +2.000s, so it was reverted while the steps went on; reverted and verified at +2.000s.');
    expect(markdown).toContain('Fault `freeze` (service) reached its maximum duration of 2s: reverting it while the steps go on.');
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { faults: Record<string, unknown>[] };
    expect(json.faults[0]).toMatchObject({ maxDurationMs: 2000, expiredAtMs: 2000, reverted: true, verified: true });
    expect(plainLog).toContainEqual(expect.stringMatching(/ \+2\.000s fault "freeze" \(service\) reached its maximum duration of 2s after 2\.000s: reverting it while the steps go on$/));
  });
});
