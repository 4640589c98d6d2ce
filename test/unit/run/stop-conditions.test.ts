import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveDrillModel } from '../../../src/cli/ui/live-model.js';
import { terminalStyleFor } from '../../../src/cli/ui/paint.js';
import { writeReports } from '../../../src/report/write-reports.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { checkB, guardedPlaybook, pauseApp, runGuardedDrill } from './support/guarded-drill.js';

const tempDir = useTempDir();

/** Region b stops answering at `fromMs` (for good, or until `untilMs`). */
const downFrom =
  (fromMs: number, untilMs = Infinity) =>
  (elapsedMs: number) =>
    elapsedMs < fromMs || elapsedMs >= untilMs;

const regionBAnswers = (rule: Record<string, unknown> = { tolerate: '2s' }) => ({
  name: 'region b answers',
  probe: checkB,
  every: '500ms',
  ...rule,
});

describe('stop conditions', () => {
  it('abort the drill when the probe has failed without a break for `tolerate`, and roll back', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: [regionBAnswers()] }), { regionB: downFrom(3000) });
    expect(drill.outcome).toEqual({ verdict: 'aborted', exitCode: 4, reason: 'aborted (stop condition "region b answers" breached)' });

    // Samples every 500ms from the fault (applied at 0): failing from 3s, for 2s at 5s.
    const [breach] = drill.of('stop-condition.breached');
    expect(breach).toMatchObject({
      name: 'region b answers',
      rule: 'tolerate',
      reason: 'failing for 2.000s without a break (tolerates 2s)',
      summary: expect.stringContaining('exit 1'),
      firstFailureNs: 3000e6,
      sampledNs: 5000e6,
      samples: 5,
      failed: 5,
    });
    expect(drill.atMs('stop-condition.breached')).toBe(5000);
    expect(drill.of('drill.aborting')).toEqual([
      { cause: 'stop-condition', reason: 'stop condition "region b answers" breached: failing for 2.000s without a break (tolerates 2s)' },
    ]);
    // The pause step was cut short; the fault was reverted and verified.
    expect(drill.of('step.finished').map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(drill.engine.containersOf('app')[0]!.status).toBe('running');
    expect(drill.of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'freeze', verified: true })]);
    expect(drill.types.indexOf('stop-condition.breached')).toBeLessThan(drill.types.indexOf('drill.aborting'));
    expect(drill.types.indexOf('stop-condition.ended')).toBeLessThan(
      drill.types.indexOf('phase.started', drill.types.indexOf('drill.aborting')),
    );
  });

  it('journal only the changes between holding and failing, and the tally', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: [regionBAnswers()] }), { regionB: downFrom(3000) });
    expect(drill.of('stop-condition.watching')).toEqual([
      {
        name: 'region b answers',
        probe: '`check-b` in db → exit 0',
        everyMs: 500,
        from: 'first-fault',
        tolerateMs: 2000,
        maxErrorRate: null,
        windowMs: null,
      },
    ]);
    expect(drill.of('stop-condition.changed').map(({ ok, sample }) => ({ ok, sample }))).toEqual([
      { ok: true, sample: 1 },
      { ok: false, sample: 7 },
    ]);
    expect(drill.of('stop-condition.ended')).toEqual([{ name: 'region b answers', samples: 11, failed: 5, breached: true }]);
    expect(drill.of('probe.sample')).toEqual([]);
  });

  it('let a failure shorter than `tolerate` pass', async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: [regionBAnswers()] }), { regionB: downFrom(3000, 4500) });
    expect(drill.outcome.exitCode).toBe(0);
    expect(drill.of('stop-condition.breached')).toEqual([]);
    expect(drill.of('stop-condition.changed').map((c) => c.ok)).toEqual([true, false, true]);
    expect(drill.of('stop-condition.ended')).toEqual([expect.objectContaining({ failed: 3, breached: false })]);
  });

  it('abort on an error rate above the limit over a full window', async () => {
    // Every third sample fails (at 0s, 1.5s, 3s…): 3 of the 10 samples in (0s, 5s] at 5s.
    const everyThird = (elapsedMs: number) => Math.round(elapsedMs / 500) % 3 !== 0;
    const condition = regionBAnswers({ maxErrorRate: 0.2, window: '5s' });
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: [condition] }), { regionB: everyThird });
    expect(drill.outcome.exitCode).toBe(4);
    expect(drill.of('stop-condition.breached')[0]).toMatchObject({
      rule: 'error-rate',
      reason: '3 of 10 samples (30%) failed in the last 5s (tolerates 20%)',
      firstFailureNs: 1500e6,
      sampledNs: 5000e6,
      tolerateMs: null,
      maxErrorRate: 0.2,
      windowMs: 5000,
    });
  });

  it('start with the first fault by default, or with the steps when `from: start`', async () => {
    const steps = [{ name: 'settle', pause: '1s' }, pauseApp(), { name: 'hold it', pause: '2s' }];
    const fromFault = await runGuardedDrill(guardedPlaybook({ steps, stopConditions: [regionBAnswers({ tolerate: '0s' })] }), {
      regionB: downFrom(0),
    });
    expect(fromFault.atMs('stop-condition.watching')).toBe(1000);
    expect(fromFault.atMs('stop-condition.watching')).toBe(fromFault.atMs('fault.applied'));
    expect(fromFault.engine.callsTo('pause')).toHaveLength(1);

    // Watched from the start of the steps, the same condition breaches before the fault goes in.
    const fromStart = await runGuardedDrill(
      guardedPlaybook({ steps, stopConditions: [regionBAnswers({ tolerate: '0s', from: 'start' })] }),
      { regionB: downFrom(0) },
    );
    expect(fromStart.outcome.exitCode).toBe(4);
    expect(fromStart.atMs('stop-condition.watching')).toBe(0);
    expect(fromStart.of('stop-condition.breached')[0]?.reason).toBe('the probe failed, and no failure is tolerated');
    expect(fromStart.engine.callsTo('pause')).toHaveLength(0);
    expect(fromStart.of('step.finished').map((s) => s.status)).toEqual(['failed', 'not-run', 'not-run']);
  });

  it('never fire once the rollback has begun', async () => {
    // Region b fails as soon as the app is unpaused, i.e. from the rollback on; a restore step
    // gives a watcher left running 3s to notice.
    const input = guardedPlaybook({
      steps: [pauseApp(), { name: 'hold it', pause: '2s' }],
      restore: [{ name: 'settle', pause: '3s' }],
      stopConditions: [regionBAnswers({ tolerate: '0s' })],
    });
    const drill = await runGuardedDrill(input, { regionB: (_ms, engine) => engine.callsTo('unpause').length === 0 });
    expect(drill.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(drill.of('stop-condition.breached')).toEqual([]);
    expect(drill.of('stop-condition.changed').map((c) => c.ok)).toEqual([true]);
    expect(drill.types.lastIndexOf('stop-condition.ended')).toBeLessThan(
      drill.types.indexOf('phase.started', drill.types.indexOf('stop-condition.ended')),
    );
    expect(drill.of('phase.started').map((p) => p.phase)).toEqual(['steady-state-before', 'steps', 'rollback', 'restore']);
  });

  it('name only the first condition that breached', async () => {
    const conditions = [regionBAnswers({ name: 'first', tolerate: '1s' }), regionBAnswers({ name: 'second', tolerate: '1s' })];
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: conditions }), { regionB: downFrom(1000) });
    expect(drill.of('stop-condition.breached').map((b) => b.name)).toEqual(['first']);
    expect(drill.of('stop-condition.ended')).toEqual([
      expect.objectContaining({ name: 'first', breached: true }),
      expect.objectContaining({ name: 'second', breached: false }),
    ]);
  });

  it('are told in the report and the CI log: which condition, when, and why', async () => {
    const dir = tempDir();
    const plainLog: string[] = [];
    const steps = [{ name: 'settle', pause: '1s' }, pauseApp(), { name: 'hold it', pause: '10s' }];
    await runGuardedDrill(guardedPlaybook({ steps, stopConditions: [regionBAnswers()] }), {
      regionB: downFrom(3000),
      journalPath: join(dir, 'journal.jsonl'),
      plainLog,
    });
    const { model } = await writeReports(dir);

    // Fault applied at 1s, failing from 3s, breached at 5s.
    expect(model.abort).toMatchObject({ cause: 'stop-condition' });
    expect(model.stopConditions).toEqual([
      expect.objectContaining({
        name: 'region b answers',
        watchedFromAtMs: 1000,
        samples: 9,
        failed: 5,
        breach: expect.objectContaining({
          atMs: 5000,
          firstFailureAtMs: 3000,
          fault: { ref: 'freeze', appliedAtMs: 1000, sinceAppliedMs: 4000 },
        }),
      }),
    ]);
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('**Verdict: Aborted** (exit code 4)');
    expect(markdown).toContain('## Stop conditions');
    expect(markdown).toContain(
      '| region b answers | \\`check-b\\` in db → exit 0 | every 500ms from +1.000s (the first fault) | it fails for 2s without a break | ✘ breached at +5.000s |',
    );
    expect(markdown).toContain(
      '**Stop condition “region b answers” stopped the drill** at +5.000s, 4.000s after fault `freeze` was applied (at +1.000s): ' +
        'failing for 2.000s without a break (tolerates 2s). It had been failing since the check at +3.000s; the last check saw “',
    );
    expect(markdown).toContain('**Stop condition “region b answers” breached** — failing for 2.000s without a break (tolerates 2s).');
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { stopConditions: unknown[] };
    expect(json.stopConditions).toEqual([
      expect.objectContaining({
        name: 'region b answers',
        breached: true,
        breach: expect.objectContaining({ atMs: 5000, rule: 'tolerate', firstFailureAtMs: 3000 }),
      }),
    ]);

    expect(plainLog).toContainEqual(
      expect.stringMatching(
        / \+1\.000s watching stop condition "region b answers" \(`check-b` in db → exit 0, every 500ms, from the first fault\): the drill stops if it fails for 2s without a break$/,
      ),
    );
    expect(plainLog).toContainEqual(
      expect.stringMatching(
        / \+5\.000s stop condition "region b answers" breached — failing for 2\.000s without a break \(tolerates 2s\); failing since \+3\.000s, 4\.000s after fault "freeze" was applied; last check: /,
      ),
    );
  });

  it("are named in the live view's closing summary, once, with when and why", async () => {
    const drill = await runGuardedDrill(guardedPlaybook({ stopConditions: [regionBAnswers()] }), { regionB: downFrom(3000) });
    const [started, ...rest] = drill.events;
    if (started?.type !== 'drill.started') throw new Error('the drill did not start with drill.started');
    const live = new LiveDrillModel(started.data, terminalStyleFor(false), () => 0);
    for (const event of rest) live.handle(event);
    expect(live.summary).toEqual([
      'stop condition "region b answers" breached — failing for 2.000s without a break (tolerates 2s); failing since +3.000s, ' +
        '5.000s after fault "freeze" was applied; last check: shop-db-1: exit 1 (expected 0): connection refused',
    ]);
  });
});
