import type { FaultRecord, PlannedAction } from '../../../../src/faults/fault.js';
import type { StepOutline } from '../../../../src/journal/events.js';
import { type DrillScript, containerId } from '../../journal/support/drill-script.js';

/**
 * A drill whose report is crowded, unlike the region-loss demo: an exchange whose ledger
 * primary (eu-west) is stopped while a gateway keeps quoting from eu-central. Its steps have
 * names of about 90 characters, its faults long ids; detection, recovery and the recovery
 * action fall within 100 ms of each other, and the check that held again (monitoring) comes
 * before the recovery action that identifies the cause. Everything a layout can get wrong.
 */

const EVERY_MS = 100;
export const CROWDED_NAMES = {
  gateway: 'The gateway keeps answering from eu-central with fresh quotes while the eu-west ledger is gone',
  quotes: 'Quote cache in eu-central serves prices no older than five seconds from both memcached nodes',
  promote: 'Promote ledger-replica-eu-central-1 to primary and point the gateway upstream at the new one',
  reconcile: 'Reconcile the ledger journals of eu-west and eu-central before the primary comes back online',
} as const;
const FAULT_REF = 'ledger-primary-eu-west-stopped-during-trading-hours';
const QUOTES_PROBE = 'GET http://127.0.0.1:8088/v2/quotes/EUR-USD?depth=5&venue=eu-central → 200, JSON venue = "eu-central", within 250ms';

const STEPS: StepOutline[] = [
  {
    index: 0,
    name: 'Stop the eu-west ledger primary in the middle of the trading day',
    action: 'inject',
    describe: 'stop every container of service ledger-primary',
  },
  { index: 1, name: CROWDED_NAMES.gateway, action: 'wait', rtoMs: 1500, describe: `wait until ${QUOTES_PROBE} (every 100ms, up to 30s)` },
  {
    index: 2,
    name: CROWDED_NAMES.quotes,
    action: 'wait',
    rtoMs: 2000,
    describe:
      'wait until `echo stats | nc -q1 127.0.0.1 11211` in quote-cache-2 → exit 0, output matches /^STAT curr_items [1-9]/m (every 100ms, up to 10s)',
  },
  {
    index: 3,
    name: CROWDED_NAMES.promote,
    action: 'run',
    describe: 'run `redis-cli -p 6390 REPLICAOF NO ONE` in every running container of ledger-replica',
  },
];
const RESTORE: StepOutline[] = [
  {
    index: 0,
    name: CROWDED_NAMES.reconcile,
    action: 'run',
    describe: 'run `ledger-tool reconcile --from eu-west --to eu-central` on the host',
  },
];

const TARGETS = [{ containerId: containerId('exchange-ledger-primary-1'), name: 'exchange-ledger-primary-1', service: 'ledger-primary' }];
const FAULT: FaultRecord = {
  ref: FAULT_REF,
  kind: 'service',
  revertible: true,
  spec: { kind: 'service', id: FAULT_REF, service: 'ledger-primary', mode: 'stop', signal: 'SIGKILL' },
  targets: TARGETS,
};
const PLAN: PlannedAction[] = [
  {
    apply: 'stop container exchange-ledger-primary-1 (service ledger-primary)',
    revert: 'start exchange-ledger-primary-1 again and check that it is running',
  },
];

/** Plays the crowded drill to a pass. */
export function playCrowdedDrill(d: DrillScript): void {
  d.emit('drill.started', {
    runId: '20260603T141500Z-ledger-failover-eu-west-7d21a0',
    firedrillVersion: '0.1.0',
    playbook: {
      name: 'ledger-failover-eu-west',
      title: 'The eu-west ledger primary fails over to eu-central during trading',
      summary: 'We stop the ledger primary in eu-west and check that eu-central keeps quoting and takes over the ledger.',
      file: 'drills/ledger-failover-eu-west.yaml',
      sha256: 'b'.repeat(64),
    },
    project: 'exchange',
    endpoint: 'unix:///var/run/docker.sock',
    objectives: { rtoMs: 3000 },
    timeLimitMs: 300_000,
    rollback: 'always',
    steps: STEPS,
    restore: RESTORE,
    steadyState: [QUOTES_PROBE],
  });
  d.after(9).emit('topology.resolved', {
    services: [
      'gateway',
      'ledger-primary:eu-west',
      'ledger-replica:eu-central',
      'quote-cache-1:eu-central',
      'quote-cache-2:eu-central',
    ].map((pair) => {
      const [name = '', region] = pair.split(':');
      const container = `exchange-${name}-1`;
      const snapshot = { id: containerId(container), name: container, service: name, status: 'running', health: 'none' };
      return region ? { name, region, containers: [snapshot] } : { name, containers: [snapshot] };
    }),
    regions: { 'eu-west': ['ledger-primary'], 'eu-central': ['ledger-replica', 'quote-cache-1', 'quote-cache-2'] },
    networks: [{ id: containerId('network:exchange_default'), name: 'exchange_default' }],
  });
  d.after(3).emit('phase.started', { phase: 'steady-state-before' });
  d.after(4).emit('steady.checked', { phase: 'before', probe: QUOTES_PROBE, ok: true, summary: 'HTTP 200 in 7ms', attempts: 1 });
  d.after(1).emit('phase.started', { phase: 'steps' });

  started(d, 0);
  d.inject('steps', 0, FAULT, PLAN, 41.5);
  d.emit('step.finished', { section: 'steps', index: 0, status: 'passed', durationMs: 42.1 });

  // Detection 4 ms into the wait, held again at the next sample: within 150 ms of the fault.
  started(d, 1);
  const gateway = d.wait(
    {
      index: 1,
      failures: 1,
      everyMs: EVERY_MS,
      timeoutMs: 30_000,
      rtoMs: 1500,
      failSummary: 'HTTP 502 in 3ms',
      okSummary: 'HTTP 200 in 3ms',
    },
    FAULT_REF,
  );
  d.emit('step.finished', { section: 'steps', index: 1, status: 'passed', durationMs: 104 });
  d.emit('objective.evaluated', {
    scope: 'step',
    index: 1,
    name: CROWDED_NAMES.gateway,
    targetMs: 1500,
    measuredMs: gateway.recoveryMs,
    resolutionMs: gateway.resolutionMs,
    met: true,
  });

  // Holds at its first sample, 5 ms later.
  started(d, 2);
  const quotes = d.wait({ index: 2, failures: 0, everyMs: EVERY_MS, timeoutMs: 10_000, rtoMs: 2000, okSummary: 'exit 0' }, FAULT_REF);
  d.emit('step.finished', { section: 'steps', index: 2, status: 'passed', durationMs: 4 });
  d.emit('objective.evaluated', {
    scope: 'step',
    index: 2,
    name: CROWDED_NAMES.quotes,
    targetMs: 2000,
    measuredMs: quotes.recoveryMs,
    resolutionMs: quotes.resolutionMs,
    met: true,
  });

  // The recovery action starts 1 ms later: "identified" after "monitoring".
  started(d, 3);
  d.after(36).emit('action.finished', { section: 'steps', index: 3, ok: true, summary: 'exit 0', output: 'OK' });
  d.emit('step.finished', { section: 'steps', index: 3, status: 'passed', durationMs: 36 });
  const measuredMs = d.sinceApplied(FAULT_REF, quotes.recoveredAtNs ?? 0n);
  d.emit('objective.evaluated', {
    scope: 'drill',
    name: 'overall recovery time',
    targetMs: 3000,
    measuredMs,
    resolutionMs: quotes.resolutionMs,
    met: true,
  });

  d.after(1).emit('phase.started', { phase: 'rollback' });
  d.after(612.25).emit('fault.reverted', {
    ref: FAULT_REF,
    kind: 'service',
    revertible: true,
    verified: true,
    done: ['started exchange-ledger-primary-1'],
    problems: [],
    manual: [],
  });
  d.after(1).emit('phase.started', { phase: 'restore' });
  started(d, 0, 'restore');
  d.after(58).emit('action.finished', { section: 'restore', index: 0, ok: true, summary: 'exit 0', output: 'reconciled 0 entries' });
  d.emit('step.finished', { section: 'restore', index: 0, status: 'passed', durationMs: 58 });
  d.after(1).emit('phase.started', { phase: 'steady-state-after' });
  d.after(8).emit('steady.checked', { phase: 'after', probe: QUOTES_PROBE, ok: true, summary: 'HTTP 200 in 6ms', attempts: 1 });
  d.after(2).emit('drill.finished', {
    verdict: 'passed',
    exitCode: 0,
    reason: '3 of 3 objectives met',
    durationMs: Number(d.bus.elapsedNs()) / 1e6,
  });
}

function started(d: DrillScript, index: number, section: 'steps' | 'restore' = 'steps'): void {
  const step = (section === 'steps' ? STEPS : RESTORE)[index] as StepOutline;
  d.after(1).emit('step.started', { section, index, name: step.name, action: step.action, describe: step.describe });
}
