import type { Engine } from '../engine/ports.js';
import type { FaultRecord } from '../faults/fault.js';
import { nsToMs, type Clock } from '../clock.js';
import type { EventBus } from './event-bus.js';
import { revertedFacts, type RollbackLedger } from './rollback-ledger.js';

export interface FaultExpiryDeps {
  engine: Engine;
  clock: Clock;
  bus: EventBus;
  ledger: RollbackLedger;
}

/**
 * Reverts each fault whose `maxDuration` is up while the steps are still running, through the
 * rollback ledger as a `run: {kind: revert}` step does: a verified revert is not repeated by
 * the final rollback, an unverified one stays pending for it. Steps are not interrupted: a wait
 * step goes on polling, and what the revert changed is what its probe sees. So fault.expired is
 * emitted first, and the fault's reference is marked expired from it (DrillFacts): a wait measuring
 * from it whose condition holds only after that moment measured firedrill's revert, not a
 * recovery, and claims no recovery time.
 */
export class FaultExpiry {
  private readonly timers = new AbortController();
  private readonly underway = new Set<Promise<void>>();

  constructor(private readonly deps: FaultExpiryDeps) {}

  /** Starts the fault's clock at `appliedNs` (its fault.applied moment); nothing for a fault without maxDuration. */
  schedule(record: FaultRecord, appliedNs: bigint): void {
    const maxDurationMs = maxDurationOf(record);
    // A fault that cannot be reverted (a cache purge) has nothing to end.
    if (maxDurationMs === undefined || !record.revertible || this.timers.signal.aborted) return;
    const remainingMs = maxDurationMs - nsToMs(this.deps.bus.elapsedNs() - appliedNs);
    const expiry = this.deps.clock.sleep(Math.max(0, remainingMs), this.timers.signal).then(
      () => this.expire(record, maxDurationMs, appliedNs),
      () => undefined,
    );
    this.underway.add(expiry);
    expiry.finally(() => this.underway.delete(expiry)).catch(() => undefined);
  }

  /**
   * Before the rollback: cancels the expiries not yet due and waits for the reverts already
   * under way (each bounded by the ledger's revert deadline), so no fault is reverted twice at once.
   */
  async stop(): Promise<void> {
    this.timers.abort();
    await Promise.all([...this.underway]);
  }

  private async expire(record: FaultRecord, maxDurationMs: number, appliedNs: bigint): Promise<void> {
    const { bus, ledger, engine } = this.deps;
    // Reverted already or being reverted now (a revert step), or the rollback has begun: nothing to do.
    if (this.timers.signal.aborted || !ledger.pending().some((pending) => pending.ref === record.ref) || ledger.reverting(record.ref))
      return;
    bus.emit('fault.expired', {
      ref: record.ref,
      kind: record.kind,
      maxDurationMs,
      appliedForMs: nsToMs(bus.elapsedNs() - appliedNs),
    });
    const outcome = await ledger.revert(record.ref, engine);
    // A revert step that begins meanwhile joins this revert; this one reports it, once.
    if (outcome && !outcome.joined) bus.emit('fault.reverted', revertedFacts(outcome));
  }
}

/** Every fault spec may carry `maxDuration` (parsed to milliseconds, see faults/fault-common.ts). */
function maxDurationOf(record: FaultRecord): number | undefined {
  const spec = record.spec as { maxDuration?: unknown } | null;
  return typeof spec?.maxDuration === 'number' ? spec.maxDuration : undefined;
}
