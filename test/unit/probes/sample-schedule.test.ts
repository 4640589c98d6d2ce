import { describe, expect, it } from 'vitest';
import { execProbeSchema } from '../../../src/probes/exec.js';
import { SampleSchedule, sleepUntil } from '../../../src/probes/sample-schedule.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { DrillContext } from '../../../src/run/drill-context.js';
import { runWaitStep } from '../../../src/run/steps/wait-step.js';
import { StopConditionWatch } from '../../../src/run/stop-conditions.js';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

const MS = 1_000_000n;

/** A clock whose timers wake `lateMs` after they were due, as on a busy event loop. */
class SkewedClock extends FakeClock {
  constructor(private readonly lateMs: number) {
    super();
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return super.sleep(ms + this.lateMs, signal);
  }
}

describe('a sample schedule', () => {
  it('keeps to its grid when a sample starts late: the next one is due on the grid, not `every` after the late one', () => {
    const schedule = new SampleSchedule(1000n * MS, 100);
    // The first sample woke 30ms late and took 5ms: the next is still due at 1100ms.
    expect(schedule.advance(1035n * MS)).toBe(1100n * MS);
    expect(schedule.advance(1104n * MS)).toBe(1200n * MS);
  });

  it('follows a sample that overran at once, and counts the grid on from there', () => {
    const schedule = new SampleSchedule(0n, 100);
    // A sample that took 250ms: the next starts at once (no burst of the missed ones), the grid moves.
    expect(schedule.advance(250n * MS)).toBe(250n * MS);
    expect(schedule.advance(260n * MS)).toBe(350n * MS);
  });

  it('sleeps again when a timer woke early, until the instant it was due', async () => {
    // Its first timer wakes 40ms early (the event loop's cached time was behind), the next on time.
    const clock = new (class extends FakeClock {
      private early = 40;
      override sleep(ms: number, signal?: AbortSignal): Promise<void> {
        const skewed = ms - this.early;
        this.early = 0;
        return super.sleep(skewed, signal);
      }
    })();
    const origin = clock.now();
    await sleepUntil(clock, () => clock.now() - origin, 100n * MS, new AbortController().signal);
    expect(clock.elapsedMs()).toBe(100);
  });

  it('returns at once when the signal aborts', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    controller.abort();
    await sleepUntil(clock, () => clock.now(), 10_000n * MS, controller.signal);
    expect(clock.elapsedMs()).toBe(0);
  });
});

describe('a wait step on a busy event loop', () => {
  it('takes every sample it was asked for when each timer wakes late, each on its own instant', async () => {
    const clock = new SkewedClock(20);
    const engine = new FakeEngine([{ service: 'ledger' }]);
    engine.onExec(() => ({ exitCode: 1, stdout: '', stderr: '' }));
    const bus = new EventBus(clock);
    const samples: number[] = [];
    bus.subscribe((event: AnyDrillEvent) => {
      if (event.type === 'probe.sample') samples.push(Number(event.monoNs / MS));
    });
    const ctx = { engine, topology: engine.topology(), clock, bus, facts: { applied: [] } } as unknown as DrillContext;
    const probe = execProbeSchema.parse({ kind: 'exec', service: 'ledger', command: ['ledger-ping'] });
    const spec = { probe, every: 100, timeout: 1000, consecutive: 1 };

    const outcome = await runWaitStep(ctx, { section: 'steps', index: 0 }, spec, new AbortController().signal);

    expect(outcome.ok).toBe(false);
    // Due at 0, 100, …, 1000 (the timeout); each timer wakes 20ms late, which delays that sample only (sleeping
    // `every` after each late sample would drift: 0, 120, 240, …, 9 samples instead of 11).
    expect(samples).toEqual([0, 120, 220, 320, 420, 520, 620, 720, 820, 920, 1020]);
  });
});

describe('stop conditions on a busy event loop', () => {
  it('sample on their grid when each timer wakes late, so none is lost', async () => {
    const clock = new SkewedClock(20);
    const engine = new FakeEngine([{ service: 'ledger' }]);
    engine.onExec(() => ({ exitCode: 0, stdout: '', stderr: '' }));
    const bus = new EventBus(clock);
    const ended: AnyDrillEvent[] = [];
    bus.subscribe((event) => {
      if (event.type === 'stop-condition.ended') ended.push(event);
    });
    const probe = execProbeSchema.parse({ kind: 'exec', service: 'ledger', command: ['ledger-ping'] });
    const spec = { name: 'ledger answers', probe, every: 100, from: 'start' as const };
    const watch = new StopConditionWatch(
      { engine, topology: engine.topology(), clock, bus },
      [spec],
      () => undefined,
      new AbortController().signal,
    );

    watch.begin('start');
    // On time, not skewed: the watch ends at 1030ms, after the sample due at 1000ms (it starts at 1020ms).
    await FakeClock.prototype.sleep.call(clock, 1030);
    watch.stop();

    // Due at 0, 100, …, 1000: 11 samples, each 20ms late (sleeping `every` after each would take 9: 0, 120, …, 960).
    expect(ended.map((event) => event.data)).toEqual([{ name: 'ledger answers', samples: 11, failed: 0, breached: false }]);
  });
});
