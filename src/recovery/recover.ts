import { join } from 'node:path';
import type { Engine } from '../engine/ports.js';
import { ExitCode } from '../exit-codes.js';
import { JournalWriter } from '../journal/writer.js';
import type { Clock } from '../clock.js';
import { EventBus } from '../run/event-bus.js';
import type { EventListener, ProjectLockFacts } from '../journal/events.js';
import { RollbackLedger, revertedFacts } from '../run/rollback-ledger.js';
import { RECOVERY_JOURNAL_PREFIX, type RunState } from '../journal/run-journals.js';

export interface RecoveryOutcome {
  verified: string[];
  unverified: string[];
  /** Commands a person can run for what could not be verified. */
  manual: string[];
  exitCode: number;
}

/**
 * Reverts the faults a run left applied, from their journaled records, and verifies each by
 * observing the containers again. The facts go to a recovery journal of their own in the run
 * directory (`recovery-<time>.jsonl`, hash-chained like the drill's), so the drill's journal
 * stays as it was written and the run's state is always derived from its journals.
 * Idempotent: a fault already reverted is reverted again harmlessly and verified.
 *
 * A run whose journals could not be read whole is never called recovered: every record that
 * could be read is reverted, the rest is recorded as unreadable, and the exit code is that of
 * an incomplete rollback (a fault on an unreadable line may still be applied).
 */
export async function recoverRun(
  run: RunState,
  deps: { engine: Engine; clock: Clock; listen?: EventListener; lock?: ProjectLockFacts },
): Promise<RecoveryOutcome> {
  const stamp = deps.clock.wallNow().toISOString().replace(/[-:.]/g, '');
  const writer = JournalWriter.open(join(run.dir, `${RECOVERY_JOURNAL_PREFIX}${stamp}.jsonl`));
  const bus = new EventBus(deps.clock);
  bus.subscribe((event) => writer.append(event));
  if (deps.listen) bus.subscribe(deps.listen);
  try {
    bus.emit('recovery.started', {
      runId: run.runId,
      project: run.project ?? '',
      endpoint: deps.engine.endpoint,
      pending: run.pending.map((record) => record.ref),
      ...(deps.lock ? { lock: deps.lock } : {}),
      ...(run.unreadable.length > 0 ? { unreadable: run.unreadable.map((damage) => ({ ...damage })) } : {}),
    });
    const ledger = new RollbackLedger();
    // In the order they were applied: the ledger reverts newest first, as a drill's rollback does.
    for (const record of run.pending) ledger.add(record);
    const outcomes = await ledger.revertAll(deps.engine, (outcome) => bus.emit('fault.reverted', revertedFacts(outcome)));
    const verified = outcomes.filter((o) => o.verified).map((o) => o.record.ref);
    const unverified = outcomes.filter((o) => !o.verified).map((o) => o.record.ref);
    const exitCode = unverified.length === 0 && run.unreadable.length === 0 ? ExitCode.Passed : ExitCode.RollbackIncomplete;
    bus.emit('recovery.finished', { verified, unverified, exitCode });
    return { verified, unverified, manual: outcomes.flatMap((o) => o.manual), exitCode };
  } finally {
    writer.close();
  }
}
