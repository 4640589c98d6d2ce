import type { FaultContext, FaultRecord, RevertResult } from '../faults/fault.js';
import { getFault } from '../faults/registry.js';
import type { EventMap } from '../journal/events.js';
import { messageOf } from '../errors.js';

export interface RevertOutcome extends RevertResult {
  record: FaultRecord;
}

/** The journal's fact for one revert outcome. */
export function revertedFacts({ record, verified, done, problems, manual, differences }: RevertOutcome): EventMap['fault.reverted'] {
  const differ = differences && differences.length > 0 ? { differences } : {};
  return { ref: record.ref, kind: record.kind, revertible: record.revertible, verified, done, problems, manual, ...differ };
}

/** Each fault's revert gets this long, whatever happened before it. */
export const REVERT_TIMEOUT_MS = 60_000;

/** What `revert` hands back: the outcome, and whether this caller only joined a revert already under way. */
export type LedgerRevert = RevertOutcome & {
  /** True when another caller's revert of the same fault was under way: it has reported the outcome already. */
  joined: boolean;
};

interface LedgerEntry {
  record: FaultRecord;
  reverted: boolean;
  /** The revert under way, if one is: a second caller waits for it rather than reverting again. */
  underway?: Promise<RevertOutcome>;
}

/**
 * The faults applied so far, in order, and whether each has been reverted.
 * A fault is added BEFORE it is injected (its record is already in the journal), so that
 * a partial injection is reverted too. Reverts run newest first, each under its own deadline
 * and on a signal of their own: an aborted drill must still roll back.
 *
 * A fault is reverted by one revert at a time. A `run: {kind: revert}` step and the fault's
 * maxDuration may ask at the same moment; two concurrent reverts would race (the second finds
 * the first's iptables rules half gone and reports a failure after the first verified).
 */
export class RollbackLedger {
  private readonly entries: LedgerEntry[] = [];

  constructor(private readonly revertTimeoutMs = REVERT_TIMEOUT_MS) {}

  add(record: FaultRecord): void {
    this.entries.push({ record, reverted: false });
  }

  /** Faults not yet reverted (a revert under way included), newest first. */
  pending(): FaultRecord[] {
    return this.entries
      .filter((entry) => !entry.reverted)
      .map((entry) => entry.record)
      .reverse();
  }

  /** Whether a revert of this fault is under way right now. */
  reverting(ref: string): boolean {
    return this.entries.some((entry) => entry.record.ref === ref && entry.underway !== undefined);
  }

  /**
   * Reverts one fault (e.g. a `run: {kind: revert}` step). Resolves undefined if already
   * reverted. While a revert of it is under way, a second caller gets that revert's outcome
   * with `joined: true`, and must not report it again (fault.reverted is journaled once).
   */
  async revert(ref: string, engine: FaultContext['engine']): Promise<LedgerRevert | undefined> {
    const entry = this.entries.find((candidate) => candidate.record.ref === ref && !candidate.reverted);
    if (!entry) return undefined;
    if (entry.underway) return { ...(await entry.underway), joined: true };
    const underway = revertWithDeadline(entry.record, engine, this.revertTimeoutMs).then((outcome) => {
      // Marked reverted only when verified: an unverified one stays for the final rollback.
      if (outcome.verified) entry.reverted = true;
      entry.underway = undefined;
      return outcome;
    });
    entry.underway = underway;
    return { ...(await underway), joined: false };
  }

  /** Reverts everything still applied, newest first, one after another. */
  async revertAll(engine: FaultContext['engine'], onOutcome: (outcome: RevertOutcome) => void): Promise<RevertOutcome[]> {
    const outcomes: RevertOutcome[] = [];
    for (const record of this.pending()) {
      const reverted = await this.revert(record.ref, engine);
      if (!reverted) continue;
      const { joined, ...outcome } = reverted;
      outcomes.push(outcome);
      if (!joined) onOutcome(outcome);
    }
    return outcomes;
  }
}

async function revertWithDeadline(record: FaultRecord, engine: FaultContext['engine'], timeoutMs: number): Promise<RevertOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const result = await getFault(record.kind).revert(record, { engine, signal });
    return { record, ...result };
  } catch (error) {
    const message = signal.aborted ? `revert did not finish within ${timeoutMs}ms` : `revert failed: ${messageOf(error)}`;
    return { record, verified: false, done: [], problems: [message], manual: [] };
  }
}
