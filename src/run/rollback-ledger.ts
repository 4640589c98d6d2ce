import type { FaultContext, FaultRecord, RevertResult } from '../faults/fault.js';
import { getFault } from '../faults/registry.js';
import type { EventMap } from './events.js';

export interface RevertOutcome extends RevertResult {
  record: FaultRecord;
}

/** The journal's fact for one revert outcome. */
export function revertedFacts({ record, verified, done, problems, manual }: RevertOutcome): EventMap['fault.reverted'] {
  return { ref: record.ref, kind: record.kind, revertible: record.revertible, verified, done, problems, manual };
}

/**
 * The faults applied so far, in order, and whether each has been reverted.
 * A fault is added BEFORE it is injected (its record is already in the journal), so that
 * a partial injection is reverted too. Reverts run newest first, each under its own deadline
 * and on a signal of their own: an aborted drill must still roll back.
 */
export class RollbackLedger {
  private readonly entries: { record: FaultRecord; reverted: boolean }[] = [];

  constructor(private readonly revertTimeoutMs = 60_000) {}

  add(record: FaultRecord): void {
    this.entries.push({ record, reverted: false });
  }

  /** Faults not yet reverted, newest first. */
  pending(): FaultRecord[] {
    return this.entries.filter((entry) => !entry.reverted).map((entry) => entry.record).reverse();
  }

  /** Reverts one fault (e.g. a `run: {kind: revert}` step). Resolves undefined if already reverted. */
  async revert(ref: string, engine: FaultContext['engine']): Promise<RevertOutcome | undefined> {
    const entry = this.entries.find((candidate) => candidate.record.ref === ref && !candidate.reverted);
    if (!entry) return undefined;
    const outcome = await revertWithDeadline(entry.record, engine, this.revertTimeoutMs);
    // Marked reverted only when verified: an unverified one stays for the final rollback.
    if (outcome.verified) entry.reverted = true;
    return outcome;
  }

  /** Reverts everything still applied, newest first, one after another. */
  async revertAll(engine: FaultContext['engine'], onOutcome: (outcome: RevertOutcome) => void): Promise<RevertOutcome[]> {
    const outcomes: RevertOutcome[] = [];
    for (const record of this.pending()) {
      const outcome = await this.revert(record.ref, engine);
      if (!outcome) continue;
      outcomes.push(outcome);
      onOutcome(outcome);
    }
    return outcomes;
  }
}

async function revertWithDeadline(
  record: FaultRecord,
  engine: FaultContext['engine'],
  timeoutMs: number,
): Promise<RevertOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const result = await getFault(record.kind).revert(record, { engine, signal });
    return { record, ...result };
  } catch (error) {
    const message = signal.aborted
      ? `revert did not finish within ${timeoutMs}ms`
      : `revert failed: ${error instanceof Error ? error.message : String(error)}`;
    return { record, verified: false, done: [], problems: [message], manual: [] };
  }
}
