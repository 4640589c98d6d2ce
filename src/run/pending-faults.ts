import type { JournalEntry } from '../journal/entry.js';
import type { FaultRecord } from '../faults/fault.js';

/**
 * Faults a run may have left applied, from its journals alone (the drill's journal and any
 * recovery journals after it). Every fault's record is journaled before it is applied, so a
 * record without a later verified revert is pending — whether the run crashed, was killed,
 * or its revert failed. Faults that cannot be reverted (a cache purge) are never pending.
 */
export function pendingFaults(journals: JournalEntry[][]): FaultRecord[] {
  const injected = new Map<string, FaultRecord>();
  const reverted = new Set<string>();
  for (const entries of journals) {
    for (const entry of entries) {
      if (entry.type === 'fault.injecting' && entry.data.record.revertible) injected.set(entry.data.record.ref, entry.data.record);
      if (entry.type === 'fault.reverted' && entry.data.verified) reverted.add(entry.data.ref);
    }
  }
  return [...injected.values()].filter((record) => !reverted.has(record.ref));
}

/** The compose project a drill journal ran against, if it says. */
export function journalProject(entries: JournalEntry[]): { runId: string; project: string } | undefined {
  const started = entries.find((entry) => entry.type === 'drill.started');
  return started?.type === 'drill.started' ? { runId: started.data.runId, project: started.data.project } : undefined;
}
