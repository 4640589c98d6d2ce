import { describe, expect, it, vi } from 'vitest';
import { attachLiveProgress, type LiveProgress } from '../../../src/cli/ui/live-progress.js';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { DrillScript, drillStarted, HEALTH, stepStarted, throughInjection } from './drill-script.js';
import { FakeTerminal } from './fake-terminal.js';
import { abortedWithRollback, failedWait, passedDrill } from './scenarios.js';

interface Setup {
  script: DrillScript;
  tty: FakeTerminal;
  stderr: FakeTerminal;
  live: LiveProgress;
}

function setup(): Setup {
  const script = new DrillScript();
  const tty = new FakeTerminal();
  const stderr = new FakeTerminal();
  const live = attachLiveProgress((listener) => script.bus.subscribe(listener), {
    stream: tty.asStream(),
    stderr: stderr.asStream(),
    color: false,
  });
  return { script, tty, stderr, live };
}

/** listr2 starts drawing asynchronously (it loads its renderer's modules first). */
async function firstFrame(tty: FakeTerminal): Promise<void> {
  await vi.waitFor(() => expect(tty.plain()).toContain('1/3 lose region a'), { timeout: 5000, interval: 5 });
}

const STEADY_BEFORE = '✔ Steady state before — 1 of 1 probe ok';
const INJECTED = '✔ 1/3 lose region a — fault "a-down" (region-loss) applied to 2 containers (took 0.280s)';

describe('live progress on a terminal', () => {
  it('finishes a passed drill with every step outcome in the final frame', async () => {
    const { script, tty, live } = setup();
    passedDrill(script);
    await live.done();
    expect(tty.finalFrame('Steady state before')).toEqual([
      STEADY_BEFORE,
      INJECTED,
      '✔ 2/3 edge fails over — recovered in 3.51s (±250ms) ✔ objective 15s',
      '✔ 3/3 restart edge — restarted 1 container of edge (0.70s)',
      '✔ Rollback — 1 of 1 fault reverted and verified',
      '✔ restore 1/1 re-point replicas — exit 0: OK (0.50s)',
      '✔ Steady state after — 1 of 1 probe ok',
    ]);
  });

  it('marks a wait that timed out as failed, and the steps after it as not run', async () => {
    const { script, tty, live } = setup();
    failedWait(script);
    await live.done();
    expect(tty.finalFrame('Steady state before')).toEqual([
      STEADY_BEFORE,
      INJECTED,
      '✖ 2/3 edge fails over — not recovered after 12.01s (24 samples, last: connection refused) ✖ objective 10s',
      '↓ 3/3 restart edge — not run',
      '✔ Rollback — 1 of 1 fault reverted and verified',
      '✔ restore 1/1 re-point replicas — exit 0: OK (0.50s)',
      '✔ Steady state after — 1 of 1 probe ok',
    ]);
  });

  it('shows an abort whose rollback failed, then what a person must do', async () => {
    const { script, tty, live } = setup();
    abortedWithRollback(script);
    await live.done();
    expect(tty.finalFrame('Steady state before')).toEqual([
      STEADY_BEFORE,
      INJECTED,
      '✖ 2/3 edge fails over — not recovered after 1.60s (6 samples, last: connection refused) ✖ objective 15s',
      '↓ 3/3 restart edge — not run',
      '✖ Rollback — 0 of 1 fault reverted and verified, 1 NOT verified: run "firedrill recover"',
      '✖ restore 1/1 re-point replicas — exit 1: Could not connect to Redis (0.50s)',
      `✖ Steady state after — 1 of 1 probe failing: GET http://127.0.0.1:8080/health → 200: connection refused`,
      'aborting — interrupted by a signal: received SIGINT',
      'faults left in place: "a-down" (their revert could not be verified)',
      'To finish the rollback by hand:',
      '  docker start c2',
    ]);
  });

  it('shows a drill stopped by its steady state: nothing injected, nothing to revert', async () => {
    const { script, tty, live } = setup();
    script
      .emit('drill.started', drillStarted())
      .emit('phase.started', { phase: 'steady-state-before' })
      .at(10_000)
      .emit('steady.checked', { phase: 'before', probe: HEALTH, ok: false, summary: 'HTTP 503 in 2ms', attempts: 10 })
      .emit('drill.aborting', { cause: 'steady-state', reason: 'the steady state did not hold before any fault was injected' })
      .emit('drill.finished', { verdict: 'aborted', exitCode: 4, durationMs: 10_000, reason: 'the steady state did not hold' });
    await live.done();
    expect(tty.finalFrame('Steady state before')).toEqual([
      `✖ Steady state before — 1 of 1 probe failing: ${HEALTH}: HTTP 503 in 2ms`,
      '↓ 1/3 lose region a — not run',
      '↓ 2/3 edge fails over — not run',
      '↓ 3/3 restart edge — not run',
      '↓ Rollback — nothing to revert',
      '↓ restore 1/1 re-point replicas — not run',
      '↓ Steady state after — not run',
      'aborting — the steady state did not hold: the steady state did not hold before any fault was injected',
    ]);
  });

  it('shows the probe state and sample count of a running wait step', async () => {
    const { script, tty, live } = setup();
    throughInjection(script).at(401).emit('step.started', stepStarted(1));
    await firstFrame(tty);
    script.samples(1, { fromMs: 651, everyMs: 250, count: 7 });
    expect(tty.plain()).toContain('› probe failing: connection refused · 7 samples');
    await live.done();
  });

  it('counts the samples a wait took before its step began', async () => {
    const { script, tty, live } = setup();
    throughInjection(script);
    await firstFrame(tty);
    // Sampled from the fault on, while the step before it ran.
    script.samples(1, { fromMs: 400, everyMs: 250, count: 7 });
    script.at(2000).emit('step.started', stepStarted(1));
    const eighth = { section: 'steps' as const, index: 1, sample: 8, ok: false, summary: 'connection refused', latencyMs: 3, streak: 0 };
    script.at(2150).emit('probe.sample', eighth);
    expect(tty.plain()).toContain('› probe failing: connection refused · 8 samples');
    await live.done();
  });

  it('holds every redraw while paused, so that a prompt under the frame survives', async () => {
    const { script, tty, live } = setup();
    throughInjection(script).at(401).emit('step.started', stepStarted(1));
    await firstFrame(tty);
    await live.pause();
    const before = tty.text.length;
    live.promptOutput.write('Is the status page green? [y/N] ');
    script.samples(1, { fromMs: 651, everyMs: 250, count: 14, okAt: [14] });
    expect(tty.text.slice(before)).toBe('Is the status page green? [y/N] ');

    live.resume();
    expect(tty.plain(before)).toContain('14 samples');
    passedDrillRest(script);
    await live.done();
    expect(tty.finalFrame('Steady state before')[2]).toBe('✔ 2/3 edge fails over — recovered in 3.51s (±250ms) ✔ objective 15s');
  });

  it('ends the frame when the drill stops without drill.finished (the runner threw)', async () => {
    const { script, tty, live } = setup();
    throughInjection(script).at(401).emit('step.started', stepStarted(1));
    await live.done();
    expect(tty.finalFrame('Steady state before').slice(2, 5)).toEqual([
      '✖ 2/3 edge fails over — interrupted',
      '↓ 3/3 restart edge — not run',
      '↓ Rollback — not run',
    ]);
  });

  it('holds what is written to stderr while drawing, and prints it once the frame is final', async () => {
    const { script, tty, stderr, live } = setup();
    throughInjection(script);
    await firstFrame(tty);
    stderr.write('firedrill: received SIGINT: aborting the drill\n');
    expect(stderr.text).not.toContain('received SIGINT');
    continueWith(script, abortedWithRollback, (event) => event.type === 'step.started' && event.data.index === 1);
    await live.done();
    expect(stderr.plain()).toContain('firedrill: received SIGINT: aborting the drill');
  });

  it('falls back to plain lines when the terminal fails, without throwing into the runner', async () => {
    const { script, tty, live } = setup();
    throughInjection(script).at(401).emit('step.started', stepStarted(1));
    await firstFrame(tty);
    tty.failNextWrite = true;
    expect(() => script.samples(1, { fromMs: 651, everyMs: 250, count: 14, okAt: [14] })).not.toThrow();
    passedDrillRest(script);
    await live.done();
    const text = tty.plain();
    expect(text).toContain('live progress stopped (write EIO); plain log lines follow');
    expect(text).toContain('+6.100s drill finished: Passed, exit code 0 — 2 of 2 objectives met; it took 6.101s');
  });
});

/**
 * Emits the rest of a scenario on `script`: its events from the first one `from` accepts, at
 * their original times. For tests that pause in the middle of a drill.
 */
function continueWith(script: DrillScript, scenario: (script: DrillScript) => DrillScript, from: (event: AnyDrillEvent) => boolean): void {
  const recorded: AnyDrillEvent[] = [];
  const full = new DrillScript();
  full.bus.subscribe((event) => recorded.push(event));
  scenario(full);
  for (const event of recorded.slice(recorded.findIndex(from))) {
    script.at(Number(event.monoNs / 1_000_000n)).emit(event.type, event.data as never);
  }
}

function passedDrillRest(script: DrillScript): void {
  continueWith(script, passedDrill, (event) => event.type === 'wait.finished');
}
