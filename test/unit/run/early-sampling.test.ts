import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { writeReports } from '../../../src/report/write-reports.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { checkApp, checkB, guardedPlaybook, pauseApp, runGuardedDrill } from './support/guarded-drill.js';

/** Region b answers again by itself; the wait for it comes after a step slower than that. */
const bAnswers = (extra: Record<string, unknown> = {}) => ({
  name: 'region b answers',
  wait: { probe: checkB, every: '250ms', timeout: '10s', rto: '5s', ...extra },
});
const holdIt = (pause: string) => ({ name: 'hold it', pause });
const tempDir = useTempDir();

const msOf = (event: AnyDrillEvent) => Number(event.monoNs) / 1e6;
const samplesOf = (events: AnyDrillEvent[], index: number) =>
  events.filter((event) => event.type === 'probe.sample' && event.data.index === index);
const stepEvent = (events: AnyDrillEvent[], type: 'step.started' | 'step.finished', index: number) =>
  events.find((event) => event.type === type && event.data.section === 'steps' && event.data.index === index)!;

describe('a wait step whose probe samples from its reference fault on', () => {
  it('brackets a recovery that came before the step began at its polling interval', async () => {
    // The fault is applied at 0ms; region b is back at 1.1s; the wait step begins only at 3s.
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp(), holdIt('3s'), bAnswers()] }), {
      regionB: (elapsedMs) => elapsedMs >= 1100,
    });
    expect(drill.atMs('fault.applied')).toBe(0);
    expect(drill.of('wait.finished')).toEqual([
      expect.objectContaining({
        met: true,
        samples: 6,
        reference: { ref: 'freeze', kind: 'service' },
        recoveryMs: 1250,
        resolutionMs: 250,
      }),
    ]);
    expect(drill.of('objective.evaluated')).toEqual([expect.objectContaining({ measuredMs: 1250, resolutionMs: 250, met: true })]);
    // Sampled while "hold it" ran, every 250ms from the fault, and no more once the condition held.
    const samples = samplesOf(drill.events, 2);
    expect(samples.map(msOf)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(samples.map((event) => event.data)).toEqual(
      [1, 2, 3, 4, 5, 6].map((sample) => expect.objectContaining({ section: 'steps', index: 2, sample, ok: sample === 6 })),
    );
    expect(msOf(stepEvent(drill.events, 'step.started', 2))).toBe(3000);
    // Already held: the step passes at once.
    expect(stepEvent(drill.events, 'step.finished', 2).data).toMatchObject({ status: 'passed', durationMs: 0 });
  });

  it('still blocks until the condition holds when it had not by the time the step began', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp(), holdIt('3s'), bAnswers({ consecutive: 2 })] }), {
      regionB: (elapsedMs) => elapsedMs >= 4100,
    });
    expect(drill.of('wait.finished')).toEqual([expect.objectContaining({ met: true, samples: 19, recoveryMs: 4250, resolutionMs: 250 })]);
    expect(samplesOf(drill.events, 2).at(-1)?.data).toMatchObject({ sample: 19, ok: true, streak: 2 });
    expect(stepEvent(drill.events, 'step.finished', 2).data).toMatchObject({ status: 'passed', durationMs: 1500 });
  });

  it('judges the streak from the fault on: a hold broken before the step began does not count', async () => {
    // Back at 500ms for one sample, failing again until 1.6s.
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp(), holdIt('3s'), bAnswers({ consecutive: 2 })] }), {
      regionB: (elapsedMs) => (elapsedMs >= 500 && elapsedMs < 600) || elapsedMs >= 1600,
    });
    expect(drill.of('wait.finished')).toEqual([expect.objectContaining({ met: true, recoveryMs: 1750, resolutionMs: 250 })]);
  });

  it('counts its timeout from the step start, not from the fault', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({ steps: [pauseApp(), holdIt('3s'), bAnswers({ every: '500ms', timeout: '2s' })] }),
      { regionB: () => false },
    );
    expect(drill.of('wait.finished')).toEqual([expect.objectContaining({ met: false, samples: 11, recoveryMs: null })]);
    expect(msOf(stepEvent(drill.events, 'step.finished', 2))).toBe(5000);
    expect(samplesOf(drill.events, 2).map(msOf)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
  });

  it('measures each wait from its own reference fault, with one sampler per wait', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({
        steps: [
          pauseApp(),
          holdIt('1s'),
          { name: 'kill the db', inject: { kind: 'service', id: 'db-down', service: 'db', mode: 'kill' } },
          holdIt('2s'),
          bAnswers({ from: 'freeze' }),
          { name: 'app answers', wait: { probe: checkApp, every: '250ms', timeout: '1s' } },
        ],
      }),
      { regionB: (elapsedMs) => elapsedMs >= 600 },
    );
    const [b, app] = drill.of('wait.finished');
    // From "freeze" (0ms), sampled since then: back at 750ms, before "db-down" was even applied.
    expect(b).toMatchObject({ index: 4, met: true, reference: { ref: 'freeze' }, recoveryMs: 750 });
    // The app's wait measures from the last fault before it, "db-down" at 1s: sampled from there.
    expect(app).toMatchObject({ index: 5, met: false, reference: { ref: 'db-down' } });
    expect(samplesOf(drill.events, 4).map(msOf)).toEqual([0, 250, 500, 750]);
    const appSamples = samplesOf(drill.events, 5);
    expect(msOf(appSamples[0]!)).toBe(1000);
    // One sampler: numbered in order, a polling interval apart.
    expect(appSamples.map((event) => event.type === 'probe.sample' && event.data.sample)).toEqual(appSamples.map((_, at) => at + 1));
    expect(appSamples.map(msOf)).toEqual(appSamples.map((_, at) => 1000 + 250 * at));
  });

  it('stops sampling when a step before its wait fails, before the rollback', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({
        steps: [pauseApp(), holdIt('1s'), { name: 'ask', manual: { prompt: 'Is it down?', ci: 'fail' } }, bAnswers()],
      }),
      { regionB: () => false },
    );
    const samples = samplesOf(drill.events, 3);
    // The sample due at 1s is not taken: the manual step failed at that moment and ended the section.
    expect(samples.map(msOf)).toEqual([0, 250, 500, 750]);
    expect(stepEvent(drill.events, 'step.finished', 3).data).toMatchObject({ status: 'not-run' });
    expect(drill.of('wait.finished')).toEqual([]);
    expect(drill.events.indexOf(samples.at(-1)!)).toBeLessThan(drill.types.indexOf('phase.started', drill.types.indexOf('drill.aborting')));
  });

  it('stops sampling at the drill time limit', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ timeLimit: '2s', steps: [pauseApp(), holdIt('10s'), bAnswers()] }), {
      regionB: () => false,
    });
    expect(drill.of('drill.aborting')).toEqual([expect.objectContaining({ cause: 'time-limit' })]);
    expect(samplesOf(drill.events, 2).map(msOf)).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    const checks = drill.engine.callsTo('exec').length;
    expect(drill.events.filter((event) => event.type === 'probe.sample')).toHaveLength(8);
    expect(checks).toBe(8);
  });
});

describe('a restore-phase wait', () => {
  const restoreWait = { name: 'region b is back', wait: { probe: checkB, every: '250ms', timeout: '5s' } };

  it('claims no recovery from a fault the rollback already reverted', async () => {
    const dir = tempDir();
    const drill = await runGuardedDrill(guardedPlaybook({ steps: [pauseApp(), holdIt('1s')], restore: [restoreWait] }), {
      regionB: (elapsedMs) => elapsedMs >= 2000,
      journalPath: join(dir, 'journal.jsonl'),
    });
    const reverted = drill.atMs('fault.reverted');
    expect(reverted).toBeGreaterThanOrEqual(1000);
    expect(drill.of('wait.finished')).toEqual([
      expect.objectContaining({ section: 'restore', met: true, reference: null, recoveryMs: null, resolutionMs: 250 }),
    ]);
    expect(drill.outcome).toMatchObject({ verdict: 'passed' });
    await writeReports(dir);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('held after the rollback had reverted the faults, so no recovery time is claimed');
    expect(junit).not.toContain('after fault freeze was applied');
  });

  it('measures from a fault the rollback left in place', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ rollback: 'never', steps: [pauseApp(), holdIt('1s')], restore: [restoreWait] }), {
      regionB: (elapsedMs) => elapsedMs >= 1600,
    });
    expect(drill.of('wait.finished')).toEqual([
      expect.objectContaining({ section: 'restore', met: true, reference: { ref: 'freeze', kind: 'service' }, recoveryMs: 1750 }),
    ]);
  });
});
