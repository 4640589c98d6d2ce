import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyDrillEvent, EventListener } from '../../../src/journal/events.js';
import { readJournal } from '../../../src/journal/reader.js';
import { DrillFacts } from '../../../src/run/drill-facts.js';
import { EventBus } from '../../../src/run/event-bus.js';
import { decideVerdict } from '../../../src/run/verdict.js';
import { FakeClock } from '../../support/fake-clock.js';

/** A bus on a fake clock with the facts subscribed, and a way to move time between events. */
function folded() {
  const clock = new FakeClock();
  const bus = new EventBus(clock);
  const facts = new DrillFacts(bus);
  return { bus, facts, later: (ms: number) => clock.advance(ms) };
}

const at = { section: 'steps' as const, index: 0 };
const notified = (ok: boolean) => ({
  ...at,
  status: 'investigating' as const,
  message: 'Checkout is slow',
  channel: 'file' as const,
  target: 'status.json',
  ok,
  latencyMs: 3,
  attempts: 1,
});

describe('the drill facts, folded from the bus', () => {
  it('note each fault applied at its event, and mark it expired at its fault.expired', () => {
    const { bus, facts, later } = folded();
    later(40);
    bus.emit('fault.applied', { ref: 'west-down', kind: 'region-loss', targets: ['w1', 'w2'], injectMs: 12 });
    later(60);
    bus.emit('fault.applied', { ref: 'cache-cold', kind: 'cache-purge', targets: ['c1'], injectMs: 1 });
    later(900);
    bus.emit('fault.expired', { ref: 'west-down', kind: 'region-loss', maxDurationMs: 960, appliedForMs: 960 });

    expect(facts.applied).toEqual([
      { ref: 'west-down', kind: 'region-loss', appliedNs: 40_000_000n, expired: { atNs: 1_000_000_000n, maxDurationMs: 960 } },
      { ref: 'cache-cold', kind: 'cache-purge', appliedNs: 100_000_000n },
    ]);
  });

  it('take the first delivered update after a fault as the first contact, by journal order', () => {
    const { bus, facts, later } = folded();
    bus.emit('notify.sent', notified(true));
    expect(facts.firstContactNs).toBeUndefined();
    later(10);
    bus.emit('fault.applied', { ref: 'west-down', kind: 'region-loss', targets: ['w1'], injectMs: 2 });
    later(15);
    bus.emit('notify.sent', notified(false));
    expect(facts.firstContactNs).toBeUndefined();
    later(20);
    bus.emit('notify.sent', notified(true));
    later(25);
    bus.emit('notify.sent', notified(true));
    expect(facts.firstContactNs).toBe(45_000_000n);
  });

  it('gather what the verdict is decided on from the events that tell it', () => {
    const { bus, facts } = folded();
    const objective = { scope: 'step' as const, index: 1, name: 'shop answers', targetMs: 500, resolutionMs: 100 };
    bus.emit('objective.evaluated', { ...objective, measuredMs: 300, met: true });
    bus.emit('objective.evaluated', { ...objective, measuredMs: null, met: false, note: 'the condition never held' });
    bus.emit('regression.checked', { baselineRunId: null, maxRegressionPct: 15, reason: 'no baseline', regressed: 0 });
    bus.emit('stop-condition.breached', {
      name: 'orders flow',
      rule: 'tolerate',
      reason: 'failing for 2s',
      summary: 'HTTP 503',
      sampledNs: 5,
      firstFailureNs: 1,
      samples: 3,
      failed: 3,
      tolerateMs: 2000,
      maxErrorRate: null,
      windowMs: null,
    });
    bus.emit('drill.aborting', { cause: 'stop-condition', reason: 'stop condition "orders flow" breached' });
    // A later abort does not replace the cause that stopped the drill.
    bus.emit('drill.aborting', { cause: 'signal', reason: 'received SIGINT' });
    bus.emit('step.finished', { section: 'steps', index: 2, status: 'not-run', durationMs: 0 });
    const reverted = { kind: 'network-isolate', revertible: true, done: [], problems: [], manual: [] };
    const moved = { container: 'w1', network: 'shop_default', aspect: 'ipv4' as const, before: '10.0.0.5', after: '10.0.0.9' };
    bus.emit('fault.reverted', { ...reverted, ref: 'moved', verified: true, differences: [moved] });
    bus.emit('fault.reverted', { ...reverted, ref: 'unverified', verified: false, differences: [moved] });
    bus.emit('fault.reverted', { ...reverted, ref: 'exact', verified: true });
    bus.emit('faults.remaining', { refs: ['unverified'], reason: 'their revert could not be verified' });
    bus.emit('steady.checked', { phase: 'before', probe: 'p', ok: false, summary: 'HTTP 503', attempts: 4 });

    expect(facts.runFacts()).toEqual({
      abortCause: 'stop-condition',
      stoppedBy: 'orders flow',
      stepFailed: false,
      objectivesMissed: 1,
      objectivesTotal: 2,
      restoreFailed: false,
      steadyStateAfterFailed: false,
      faultsRemaining: 1,
      notGivenBack: ['moved'],
      regressions: 0,
      maxRegressionPct: 15,
    });
  });

  it('tell a failed step, a failed restore and a steady state that did not return from an abort', () => {
    const { bus, facts } = folded();
    bus.emit('drill.aborting', { cause: 'step-failed', reason: 'step "fail over" failed; stopping the drill and rolling back' });
    bus.emit('step.finished', { section: 'steps', index: 1, status: 'failed', durationMs: 5, error: 'exit 1' });
    bus.emit('step.finished', { section: 'restore', index: 0, status: 'passed', durationMs: 5 });
    bus.emit('steady.checked', { phase: 'after', probe: 'p', ok: true, summary: 'HTTP 200', attempts: 1 });
    expect(facts.runFacts()).toMatchObject({ stepFailed: true, restoreFailed: false, steadyStateAfterFailed: false });
    expect(facts.runFacts().abortCause).toBeUndefined();

    bus.emit('step.finished', { section: 'restore', index: 1, status: 'not-run', durationMs: 0 });
    bus.emit('steady.checked', { phase: 'after', probe: 'q', ok: false, summary: 'HTTP 503', attempts: 9 });
    expect(facts.runFacts()).toMatchObject({ restoreFailed: true, steadyStateAfterFailed: true });
    expect(decideVerdict(facts.runFacts())).toEqual({
      verdict: 'failed',
      exitCode: 1,
      reason: 'a step failed; a restore step failed; steady state did not return',
    });
  });
});

describe('a recorded journal, folded again', () => {
  const FIXTURES = join(import.meta.dirname, '../../fixtures/journals');

  it.each(['region-a-loss-passed', 'region-a-loss-stopped', 'ledger-failover-crowded'])(
    '%s: its events give the verdict, exit code and reason it recorded',
    async (name) => {
      const entries = await readJournal(join(FIXTURES, name, 'journal.jsonl'));
      const listeners: EventListener[] = [];
      const facts = new DrillFacts({ subscribe: (listener) => listeners.push(listener) });
      for (const entry of entries) {
        const event = { type: entry.type, data: entry.data, monoNs: BigInt(entry.monoNs), time: new Date(entry.time) } as AnyDrillEvent;
        for (const listener of listeners) listener(event);
      }
      const finished = entries.find((entry) => entry.type === 'drill.finished');
      expect(finished?.type).toBe('drill.finished');
      const { verdict, exitCode, reason } = finished!.data as { verdict: string; exitCode: number; reason: string };
      expect(decideVerdict(facts.runFacts())).toEqual({ verdict, exitCode, reason });
    },
  );
});
