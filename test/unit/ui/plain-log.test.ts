import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachPlainLog, PlainLog } from '../../../src/cli/ui/plain-log.js';
import { terminalStyleFor } from '../../../src/cli/ui/paint.js';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { DrillScript, stepStarted, throughInjection } from './drill-script.js';
import { abortedWithRollback, failedWait, passedDrill } from './scenarios.js';

function logOf(run: (script: DrillScript) => DrillScript, color = false): string[] {
  const script = new DrillScript();
  const lines: string[] = [];
  attachPlainLog(
    (listener) => script.bus.subscribe(listener),
    (line) => lines.push(line),
    { color },
  );
  run(script);
  return lines;
}

const T = '2026-11-21T09:00:';
const HEALTH = 'GET http://127.0.0.1:8080/health → 200';

/** The first lines of every scenario: start, topology, steady state, the injection. */
const THROUGH_INJECTION = [
  `${T}00.000Z +0.000s drill "Region A goes dark" started against project "demo": 3 steps, 1 restore step, time limit 10m; run 20261121-090000-region-a on unix:///var/run/docker.sock`,
  `${T}00.000Z +0.000s found 3 services and 3 containers, regions a (app-a, db-a), 1 network`,
  `${T}00.000Z +0.000s checking the steady state before injecting anything`,
  `${T}00.120Z +0.120s steady state before: ${HEALTH} held (HTTP 200 in 4ms)`,
  `${T}00.120Z +0.120s running the steps`,
  `${T}00.120Z +0.120s step 1/3 "lose region a" started: kill every container of region a`,
  `${T}00.120Z +0.120s step 1/3 "lose region a": fault "a-down" (region-loss) recorded, about to be applied to 2 containers: kill demo-app-a-1 (app-a); kill demo-db-a-1 (db-a)`,
  `${T}00.400Z +0.400s step 1/3 "lose region a": fault "a-down" (region-loss) applied to demo-app-a-1, demo-db-a-1 (took 0.280s)`,
  `${T}00.400Z +0.400s step 1/3 "lose region a" passed after 0.281s`,
];

describe('plain log', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells a passed drill in one line per meaningful event, with the recovery time and its resolution', () => {
    expect(logOf(passedDrill)).toEqual([
      ...THROUGH_INJECTION,
      `${T}00.401Z +0.401s step 2/3 "edge fails over" started: wait until ${HEALTH} (every 250ms, up to 30s)`,
      `${T}00.651Z +0.651s step 2/3 "edge fails over": first sample: failing (connection refused)`,
      `${T}03.901Z +3.901s step 2/3 "edge fails over": probe now ok (HTTP 200 in 3ms) at sample 14`,
      `${T}03.901Z +3.901s step 2/3 "edge fails over": 14 samples; healthy from +3.901s; recovered 3.502s after fault "a-down" was applied (±250ms, polled every 250ms)`,
      `${T}03.901Z +3.901s step 2/3 "edge fails over" passed after 3.501s`,
      `${T}03.901Z +3.901s objective for step 2/3 "edge fails over": target 15s, measured 3.502s (±250ms): met`,
      `${T}03.901Z +3.901s step 3/3 "restart edge" started: restart service edge`,
      `${T}04.600Z +4.600s step 3/3 "restart edge": succeeded (restarted 1 container of edge)`,
      `${T}04.600Z +4.600s step 3/3 "restart edge" passed after 0.699s`,
      `${T}04.600Z +4.600s objective "overall recovery time": target 20s, measured 3.502s (±250ms): met`,
      `${T}04.700Z +4.700s rolling back: reverting every fault still in effect`,
      `${T}05.300Z +5.300s fault "a-down" reverted and verified: started demo-app-a-1; started demo-db-a-1`,
      `${T}05.300Z +5.300s running the restore steps`,
      `${T}05.300Z +5.300s restore step 1/1 "re-point replicas" started: exec redis-cli replicaof in db-a-1`,
      `${T}05.800Z +5.800s restore step 1/1 "re-point replicas": succeeded (exit 0: OK)`,
      `${T}05.800Z +5.800s restore step 1/1 "re-point replicas" passed after 0.500s`,
      `${T}05.800Z +5.800s checking that the steady state returned`,
      `${T}06.100Z +6.100s steady state after: ${HEALTH} held (HTTP 200 in 5ms, after 2 attempts)`,
      `${T}06.100Z +6.100s drill finished: Passed, exit code 0 — 2 of 2 objectives met; it took 6.101s`,
    ]);
  });

  it('prints a failed wait as its transitions and a heartbeat at most every 5 s, not 24 samples', () => {
    const lines = logOf(failedWait);
    // 24 samples, every 500ms: the first, ok at 3, failing at 4, then silence except heartbeats
    // 5 s after the last line (at 8 s and 13 s).
    expect(lines.slice(THROUGH_INJECTION.length, THROUGH_INJECTION.length + 13)).toEqual([
      `${T}01.000Z +1.000s step 2/3 "edge fails over" started: wait until ${HEALTH} (every 500ms, 2 in a row, up to 12s)`,
      `${T}01.500Z +1.500s step 2/3 "edge fails over": first sample: failing (connection refused)`,
      `${T}02.500Z +2.500s step 2/3 "edge fails over": probe now ok (HTTP 200 in 3ms) at sample 3`,
      `${T}03.000Z +3.000s step 2/3 "edge fails over": probe failing again (connection refused) at sample 4`,
      `${T}08.000Z +8.000s step 2/3 "edge fails over": still waiting, 14 samples, last: connection refused`,
      `${T}13.000Z +13.000s step 2/3 "edge fails over": still waiting, 24 samples, last: connection refused`,
      `${T}13.001Z +13.001s step 2/3 "edge fails over": 24 samples; first healthy at +2.497s, then failing again; did not hold before the wait ended; the last sample saw connection refused`,
      `${T}13.001Z +13.001s step 2/3 "edge fails over" failed after 12.001s: condition did not hold within 12000ms (24 samples)`,
      `${T}13.001Z +13.001s objective for step 2/3 "edge fails over": target 10s, not measured (the condition never held): MISSED`,
      `${T}13.001Z +13.001s step 3/3 "restart edge" was not run`,
      `${T}13.001Z +13.001s objective "overall recovery time": target 20s, not measured (the service did not recover within the drill): MISSED`,
      `${T}13.001Z +13.001s aborting — a step failed: step "edge fails over" failed; stopping the drill and rolling back`,
      `${T}13.001Z +13.001s rolling back: reverting every fault still in effect`,
    ]);
    expect(lines.at(-1)).toBe(`${T}14.300Z +14.300s drill finished: Failed, exit code 1 — 0 of 2 objectives met; it took 14.300s`);
  });

  it('tells an aborted drill whose revert is not verified, with what to run by hand', () => {
    expect(logOf(abortedWithRollback).slice(THROUGH_INJECTION.length)).toEqual([
      `${T}00.401Z +0.401s step 2/3 "edge fails over" started: wait until ${HEALTH} (every 250ms, up to 30s)`,
      `${T}00.651Z +0.651s step 2/3 "edge fails over": first sample: failing (connection refused)`,
      `${T}02.000Z +2.000s step 2/3 "edge fails over": 6 samples; did not hold before the wait ended; the last sample saw connection refused`,
      `${T}02.000Z +2.000s step 2/3 "edge fails over" failed after 1.599s: aborted while waiting`,
      `${T}02.000Z +2.000s objective for step 2/3 "edge fails over": target 15s, not measured (the condition never held): MISSED`,
      `${T}02.000Z +2.000s step 3/3 "restart edge" was not run`,
      `${T}02.000Z +2.000s objective "overall recovery time": target 20s, not measured (the service did not recover within the drill): MISSED`,
      `${T}02.000Z +2.000s aborting — interrupted by a signal: received SIGINT`,
      `${T}02.000Z +2.000s rolling back: reverting every fault still in effect`,
      `${T}09.000Z +9.000s fault "a-down" reverted, but not verified: demo-db-a-1 is still exited after start`,
      `${T}09.000Z +9.000s   to finish by hand: docker start c2`,
      `${T}09.000Z +9.000s faults left in place: "a-down" (their revert could not be verified)`,
      `${T}09.000Z +9.000s running the restore steps`,
      `${T}09.000Z +9.000s restore step 1/1 "re-point replicas" started: exec redis-cli replicaof in db-a-1`,
      `${T}09.500Z +9.500s restore step 1/1 "re-point replicas": failed (exit 1: Could not connect to Redis)`,
      `${T}09.500Z +9.500s restore step 1/1 "re-point replicas" failed after 0.500s: exit 1: Could not connect to Redis`,
      `${T}09.500Z +9.500s checking that the steady state returned`,
      `${T}09.800Z +9.800s steady state after: ${HEALTH} did not hold (connection refused, after 5 attempts)`,
      `${T}09.800Z +9.800s drill finished: Rollback incomplete, exit code 5 — fault a-down may remain: run firedrill recover; it took 9.800s`,
    ]);
  });

  it('prints the same lines when the same events are replayed at another time', () => {
    const script = new DrillScript();
    const events: AnyDrillEvent[] = [];
    script.bus.subscribe((event) => events.push(event));
    passedDrill(script);
    const original = new PlainLog(terminalStyleFor(false));
    const linesThen = events.flatMap((event) => original.linesFor(event));

    vi.useFakeTimers({ now: new Date('2031-01-01T00:00:00Z') });
    const replay = new PlainLog(terminalStyleFor(false));
    expect(events.flatMap((event) => replay.linesFor(event))).toEqual(linesThen);
  });

  it('colours only when asked to', () => {
    const plain = logOf(passedDrill, false);
    const colored = logOf(passedDrill, true);
    expect(plain.join('\n')).not.toContain('\u001b[');
    expect(colored.at(-1)).toContain('\u001b[32mPassed\u001b[39m');
    expect(colored.map((line) => line.replace(/\u001b\[\d+m/g, ''))).toEqual(plain);
  });

  it('never throws into the runner, even when its output fails', () => {
    const script = new DrillScript();
    attachPlainLog(
      (listener) => script.bus.subscribe(listener),
      () => {
        throw new Error('EPIPE');
      },
      { color: false },
    );
    expect(() => passedDrill(script)).not.toThrow();
  });
  it('keeps what a wait saw from samples taken before its step began', () => {
    const lines = logOf((script) => {
      // Sampled from the fault (applied at +0.400s) while the step before ran: ok once at +0.650s (taken at +0.647s), then failing.
      throughInjection(script).samples(1, { fromMs: 400, everyMs: 250, count: 6, okAt: [2] });
      script.at(1900).emit('step.started', stepStarted(1));
      script.emit('probe.sample', { section: 'steps', index: 1, sample: 7, ok: true, summary: 'HTTP 200 in 3ms', latencyMs: 0, streak: 1 });
      return script.emit('wait.finished', {
        section: 'steps',
        index: 1,
        met: true,
        samples: 7,
        reference: { ref: 'a-down', kind: 'region-loss' },
        recoveryMs: 1500,
        resolutionMs: 250,
        everyMs: 250,
        timeoutMs: 30_000,
      });
    });
    const wait = lines.filter((line) => line.includes('"edge fails over"'));
    expect(wait[0]).toBe(`${T}00.400Z +0.400s step 2/3 "edge fails over": first sample: failing (connection refused)`);
    expect(wait.at(-1)).toBe(
      `${T}01.900Z +1.900s step 2/3 "edge fails over": 7 samples; first healthy at +0.647s, then failing again; healthy from +1.900s; ` +
        'recovered 1.500s after fault "a-down" was applied (±250ms, polled every 250ms)',
    );
  });
});
