import type { JournalEntry } from './entry.js';
import type { FaultRecord } from '../faults/fault.js';

/**
 * Faults a run may have left applied, from its journals alone (the drill's journal and any
 * recovery journals after it). Every fault's record is journaled before it is applied, so a
 * record without a later verified revert is pending — whether the run crashed, was killed,
 * or its revert failed. Faults that cannot be reverted (a cache purge) are never pending.
 */
export function pendingFaults(journals: JournalEntry[][]): FaultRecord[] {
  const tracker = new PendingFaultTracker();
  for (const entries of journals) for (const entry of entries) tracker.add(entry);
  return tracker.pending();
}

/** The same, entry by entry, for journals read as a stream. */
export class PendingFaultTracker {
  private readonly injected = new Map<string, FaultRecord>();
  private readonly reverted = new Set<string>();

  add(entry: JournalEntry): void {
    if (entry.type === 'fault.injecting' && entry.data.record.revertible) {
      // A fault injected again under the same ref (a later step) is pending again until reverted again.
      this.injected.delete(entry.data.record.ref);
      this.injected.set(entry.data.record.ref, entry.data.record);
      this.reverted.delete(entry.data.record.ref);
    }
    if (entry.type === 'fault.reverted' && entry.data.verified) this.reverted.add(entry.data.ref);
  }

  /** In the order they were applied. */
  pending(): FaultRecord[] {
    return [...this.injected.values()].filter((record) => !this.reverted.has(record.ref));
  }
}

/** The compose project a drill journal ran against, if it says. */
export function journalProject(entries: JournalEntry[]): { runId: string; project: string } | undefined {
  const started = entries.find((entry) => entry.type === 'drill.started');
  return started?.type === 'drill.started' ? { runId: started.data.runId, project: started.data.project } : undefined;
}
