import type { FaultRecord, PlannedAction } from '../../../../src/faults/fault.js';
import type { StepOutline } from '../../../../src/journal/events.js';
import { type DrillScript, type WaitResult, containerId } from './drill-script.js';

/**
 * One realistic drill, "lose region a", scripted event by event as the runner would emit it,
 * with the outcomes the reports must tell apart.
 */
export type RegionLossOutcome =
  | 'passed'
  | 'objective-missed'
  | 'aborted-by-signal'
  | 'stopped-by-condition'
  | 'rollback-incomplete'
  | 'cut-off';

export const EVERY_MS = 250;
export const SHOP_RTO_MS = 30_000;
export const SESSIONS_RTO_MS = 10_000;
export const DRILL_RTO_MS = 45_000;
const HEALTH = 'GET http://127.0.0.1:8080/health → 200';

const STEPS: StepOutline[] = [
  { index: 0, name: 'Lose region a', action: 'inject', describe: 'kill every container of region a with SIGKILL' },
  {
    index: 1,
    name: 'Shop answers from region b',
    action: 'wait',
    rtoMs: SHOP_RTO_MS,
    describe: `wait until ${HEALTH} (every 250ms, up to 1m)`,
  },
  {
    index: 2,
    name: 'Sessions survive',
    action: 'wait',
    rtoMs: SESSIONS_RTO_MS,
    describe: 'wait until exec redis-cli GET session:42 in app-b exits 0 (every 250ms, up to 20s)',
  },
];
const RESTORE: StepOutline[] = [
  { index: 0, name: 'Re-point region a replication', action: 'run', describe: 'exec redis-cli REPLICAOF redis-b 6379 in redis-a' },
];

const TARGETS = ['demo-app-a-1:app-a', 'demo-redis-a-1:redis-a'].map((pair) => {
  const [name = '', service = ''] = pair.split(':');
  return { containerId: containerId(name), name, service };
});

export const REGION_A_FAULT: FaultRecord = {
  ref: 'region-a',
  kind: 'region-loss',
  revertible: true,
  spec: { kind: 'region-loss', id: 'region-a', region: 'a', mode: 'kill', signal: 'SIGKILL' },
  targets: TARGETS,
};

const PLAN: PlannedAction[] = TARGETS.map((t) => ({
  apply: `kill container ${t.name} (${t.service}) with SIGKILL`,
  revert: `start container ${t.name}`,
}));

/** Plays the drill to the given outcome on a script. */
export function playRegionLossDrill(d: DrillScript, outcome: RegionLossOutcome): void {
  started(d);
  d.after(12).emit('phase.started', { phase: 'steady-state-before' });
  d.after(9).emit('steady.checked', { phase: 'before', probe: HEALTH, ok: true, summary: 'HTTP 200 in 4ms', attempts: 1 });
  d.after(1).emit('phase.started', { phase: 'steps' });

  stepStarted(d, 0);
  d.inject('steps', 0, REGION_A_FAULT, PLAN, 118.4);
  if (outcome === 'stopped-by-condition') watchOrders(d);
  stepFinished(d, 0, 'passed', 119.2);
  if (outcome === 'stopped-by-condition') return stoppedDuringShopWait(d);

  const shopFailures = outcome === 'objective-missed' ? 129 : 12;
  if (outcome === 'cut-off') {
    stepStarted(d, 1);
    d.wait({ index: 1, failures: Infinity, everyMs: EVERY_MS, timeoutMs: 60_000, stopAfter: 5 }, 'region-a');
    return; // the process died here: no more events
  }
  if (outcome === 'aborted-by-signal') return abortedDuringShopWait(d);

  const shop = waitStep(d, 1, shopFailures, SHOP_RTO_MS, 60_000);
  const sessions = waitStep(d, 2, 0, SESSIONS_RTO_MS, 20_000, 'exit 0: "cart=3"');
  const drillMet = drillObjective(d, [shop, sessions]);
  const missed = [shop.objectiveMet, sessions.objectiveMet, drillMet].filter((met) => !met).length;

  const verified = outcome !== 'rollback-incomplete';
  rollback(d, verified);
  restore(d);
  steadyAfter(d);
  finished(d, outcome, missed);
}

function started(d: DrillScript): void {
  d.emit('drill.started', {
    runId: '20260512T093000Z-region-a-loss-4f9c2e',
    firedrillVersion: '0.1.0',
    playbook: {
      name: 'region-a-loss',
      title: 'Losing region a',
      summary:
        'We switch off every container in region a — the web server and the cache that serve half of our shoppers — and check that region b takes over the shop, without logging anybody out.',
      nextSteps: ['Review how long region b takes to warm its cache.', 'Repeat this drill every month.'],
      file: 'drills/region-a-loss.yaml',
      sha256: '9d5ed678fe57bcca610140957afab571b0c3f1e3d36a1d0c5ea01d8d7f3a2b1c',
    },
    project: 'demo',
    endpoint: 'unix:///var/run/docker.sock',
    objectives: { rtoMs: DRILL_RTO_MS },
    timeLimitMs: 600_000,
    rollback: 'always',
    steps: STEPS,
    restore: RESTORE,
    steadyState: [HEALTH],
  });
  d.after(15).emit('topology.resolved', {
    services: ['lb', 'app-a:a', 'redis-a:a', 'app-b:b', 'redis-b:b'].map((pair) => {
      const [name = '', region] = pair.split(':');
      const container = `demo-${name}-1`;
      const snapshot = { id: containerId(container), name: container, service: name, status: 'running', health: 'healthy' };
      return region ? { name, region, containers: [snapshot] } : { name, containers: [snapshot] };
    }),
    regions: { a: ['app-a', 'redis-a'], b: ['app-b', 'redis-b'] },
    networks: [{ id: containerId('network:demo_default'), name: 'demo_default' }],
  });
}

function stepStarted(d: DrillScript, index: number, section: 'steps' | 'restore' = 'steps'): void {
  const step = (section === 'steps' ? STEPS : RESTORE)[index] as StepOutline;
  d.after(1).emit('step.started', { section, index, name: step.name, action: step.action, describe: step.describe });
}

function stepFinished(d: DrillScript, index: number, status: 'passed' | 'failed' | 'not-run', durationMs: number, error?: string): void {
  d.emit('step.finished', { section: 'steps', index, status, durationMs, ...(error ? { error } : {}) });
}

function waitStep(
  d: DrillScript,
  index: number,
  failures: number,
  rtoMs: number,
  timeoutMs: number,
  okSummary?: string,
): WaitResult & { objectiveMet: boolean } {
  const startNs = d.bus.elapsedNs();
  stepStarted(d, index);
  const result = d.wait({ index, failures, everyMs: EVERY_MS, timeoutMs, rtoMs, ...(okSummary ? { okSummary } : {}) }, 'region-a');
  const durationMs = Number(d.bus.elapsedNs() - startNs) / 1e6;
  stepFinished(d, index, result.met ? 'passed' : 'failed', durationMs);
  const name = (STEPS[index] as StepOutline).name;
  const met = result.recoveryMs !== null && result.recoveryMs <= rtoMs;
  d.emit('objective.evaluated', {
    scope: 'step',
    index,
    name,
    targetMs: rtoMs,
    measuredMs: result.recoveryMs,
    resolutionMs: result.resolutionMs,
    met,
  });
  return { ...result, objectiveMet: met };
}

function drillObjective(d: DrillScript, waits: WaitResult[]): boolean {
  const last = waits.reduce((a, b) => ((a.recoveredAtNs ?? 0n) > (b.recoveredAtNs ?? 0n) ? a : b));
  const measuredMs = d.sinceApplied('region-a', last.recoveredAtNs ?? 0n);
  d.emit('objective.evaluated', {
    scope: 'drill',
    name: 'overall recovery time',
    targetMs: DRILL_RTO_MS,
    measuredMs,
    resolutionMs: last.resolutionMs,
    met: measuredMs <= DRILL_RTO_MS,
  });
  return measuredMs <= DRILL_RTO_MS;
}

function abortedDuringShopWait(d: DrillScript): void {
  const startNs = d.bus.elapsedNs();
  stepStarted(d, 1);
  d.wait({ index: 1, failures: Infinity, everyMs: EVERY_MS, timeoutMs: 60_000, stopAfter: 8 }, 'region-a');
  d.after(40).emit('wait.finished', {
    section: 'steps',
    index: 1,
    met: false,
    samples: 8,
    reference: { ref: 'region-a', kind: 'region-loss' },
    recoveryMs: null,
    resolutionMs: EVERY_MS,
    everyMs: EVERY_MS,
    timeoutMs: 60_000,
  });
  stepFinished(d, 1, 'failed', Number(d.bus.elapsedNs() - startNs) / 1e6, 'aborted while waiting');
  objectivesUnmeasuredAfterShopWait(d);
  d.emit('drill.aborting', { cause: 'signal', reason: 'SIGINT received (Ctrl-C)' });
  rollback(d, true);
  restore(d);
  steadyAfter(d);
  d.after(2).emit('drill.finished', { verdict: 'aborted', exitCode: 4, durationMs: durationSoFar(d), reason: 'aborted (signal)' });
}

/** The shop's wait gave up and the sessions step never ran: no objective could be measured. */
function objectivesUnmeasuredAfterShopWait(d: DrillScript): void {
  d.emit('objective.evaluated', {
    scope: 'step',
    index: 1,
    name: 'Shop answers from region b',
    targetMs: SHOP_RTO_MS,
    measuredMs: null,
    resolutionMs: EVERY_MS,
    met: false,
    note: 'the condition never held',
  });
  stepFinished(d, 2, 'not-run', 0);
  d.emit('objective.evaluated', {
    scope: 'step',
    index: 2,
    name: 'Sessions survive',
    targetMs: SESSIONS_RTO_MS,
    measuredMs: null,
    resolutionMs: null,
    met: false,
    note: 'the step did not run',
  });
  d.emit('objective.evaluated', {
    scope: 'drill',
    name: 'overall recovery time',
    targetMs: DRILL_RTO_MS,
    measuredMs: null,
    resolutionMs: null,
    met: false,
    note: 'the service did not recover within the drill',
  });
}

const ORDERS = 'orders keep flowing';
const ORDERS_RULE = { tolerateMs: 2000, maxErrorRate: null, windowMs: null };

/** A stop condition watched from the fault on, as the runner starts it right after fault.applied. */
function watchOrders(d: DrillScript): void {
  d.emit('stop-condition.watching', {
    name: ORDERS,
    probe: 'POST http://127.0.0.1:8080/api/orders → 201',
    everyMs: 500,
    from: 'first-fault',
    ...ORDERS_RULE,
  });
  d.after(5).emit('stop-condition.changed', { name: ORDERS, ok: true, summary: 'HTTP 201 in 5ms', sample: 1, latencyMs: 5 });
}

/** Orders start failing 1s into the shop's wait and keep failing for 2s: the stop condition aborts the drill. */
function stoppedDuringShopWait(d: DrillScript): void {
  const startNs = d.bus.elapsedNs();
  stepStarted(d, 1);
  d.wait({ index: 1, failures: Infinity, everyMs: EVERY_MS, timeoutMs: 60_000, stopAfter: 4 }, 'region-a');
  d.after(2).emit('stop-condition.changed', { name: ORDERS, ok: false, summary: 'HTTP 503 in 2ms', sample: 3, latencyMs: 2 });
  const firstFailureNs = d.bus.elapsedNs() - 2_000_000n;
  d.wait({ index: 1, failures: Infinity, everyMs: EVERY_MS, timeoutMs: 60_000, stopAfter: 7 }, 'region-a');
  const sampledNs = firstFailureNs + 2_000_000_000n;
  d.after(Number(sampledNs - d.bus.elapsedNs()) / 1e6 + 2).emit('stop-condition.breached', {
    name: ORDERS,
    rule: 'tolerate',
    reason: 'failing for 2.000s without a break (tolerates 2s)',
    summary: 'HTTP 503 in 2ms',
    sampledNs: Number(sampledNs),
    firstFailureNs: Number(firstFailureNs),
    samples: 5,
    failed: 5,
    ...ORDERS_RULE,
  });
  d.after(1).emit('wait.finished', {
    section: 'steps',
    index: 1,
    met: false,
    samples: 15,
    reference: { ref: 'region-a', kind: 'region-loss' },
    recoveryMs: null,
    resolutionMs: EVERY_MS,
    everyMs: EVERY_MS,
    timeoutMs: 60_000,
  });
  stepFinished(d, 1, 'failed', Number(d.bus.elapsedNs() - startNs) / 1e6, 'aborted while waiting');
  objectivesUnmeasuredAfterShopWait(d);
  d.emit('stop-condition.ended', { name: ORDERS, samples: 7, failed: 5, breached: true });
  d.emit('drill.aborting', {
    cause: 'stop-condition',
    reason: `stop condition "${ORDERS}" breached: failing for 2.000s without a break (tolerates 2s)`,
  });
  rollback(d, true);
  restore(d);
  steadyAfter(d);
  d.after(2).emit('drill.finished', {
    verdict: 'aborted',
    exitCode: 4,
    durationMs: durationSoFar(d),
    reason: `aborted (stop condition "${ORDERS}" breached)`,
  });
}

function rollback(d: DrillScript, verified: boolean): void {
  d.after(2).emit('phase.started', { phase: 'rollback' });
  d.after(1480.5).emit('fault.reverted', {
    ref: 'region-a',
    kind: 'region-loss',
    revertible: true,
    verified,
    done: ['started demo-app-a-1', 'started demo-redis-a-1'],
    problems: verified ? [] : ['demo-redis-a-1 is exited (exit code 1) after start'],
    manual: verified ? [] : [`docker start ${containerId('demo-redis-a-1')}`, 'docker logs --tail 50 demo-redis-a-1'],
  });
  if (!verified) d.emit('faults.remaining', { refs: ['region-a'], reason: 'their revert could not be verified' });
}

function restore(d: DrillScript): void {
  d.after(1).emit('phase.started', { phase: 'restore' });
  stepStarted(d, 0, 'restore');
  d.after(35.25).emit('action.finished', { section: 'restore', index: 0, ok: true, summary: 'exit 0', output: 'OK' });
  d.emit('step.finished', { section: 'restore', index: 0, status: 'passed', durationMs: 35.25 });
}

function steadyAfter(d: DrillScript): void {
  d.after(1).emit('phase.started', { phase: 'steady-state-after' });
  d.after(6).emit('steady.checked', { phase: 'after', probe: HEALTH, ok: true, summary: 'HTTP 200 in 3ms', attempts: 1 });
}

function finished(d: DrillScript, outcome: RegionLossOutcome, missed: number): void {
  const byOutcome = {
    passed: { verdict: 'passed', exitCode: 0, reason: '3 of 3 objectives met' },
    'objective-missed': { verdict: 'failed', exitCode: 1, reason: `${missed} of 3 objectives missed` },
    'rollback-incomplete': { verdict: 'rollback-incomplete', exitCode: 5, reason: '1 fault(s) may still be applied' },
  } as const;
  const result = byOutcome[outcome as keyof typeof byOutcome];
  if ((outcome === 'objective-missed') !== missed > 0) throw new Error(`the script missed ${missed} objectives for outcome ${outcome}`);
  d.after(2).emit('drill.finished', { ...result, durationMs: durationSoFar(d) });
}

function durationSoFar(d: DrillScript): number {
  return Number(d.bus.elapsedNs()) / 1e6;
}
