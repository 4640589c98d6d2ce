import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { readJournal } from '../../../src/journal/reader.js';
import { journalProject, pendingFaults } from '../../../src/journal/pending-faults.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/journals/${name}/journal.jsonl`, import.meta.url));

describe('pendingFaults', () => {
  it('finds the fault a run cut off mid-drill left applied', async () => {
    const entries = await readJournal(fixture('region-a-loss-cut-off'));
    expect(pendingFaults([entries]).map((record) => record.ref)).toEqual(['region-a']);
    expect(journalProject(entries)?.project).toBeTruthy();
  });

  it('finds nothing after a run whose faults were all reverted and verified', async () => {
    expect(pendingFaults([await readJournal(fixture('region-a-loss-passed'))])).toEqual([]);
  });

  it('counts a verified revert in a later recovery journal, but not an unverified one', async () => {
    const drill = await readJournal(fixture('region-a-loss-cut-off'));
    const revert = (verified: boolean) =>
      [
        {
          seq: 0,
          time: '',
          monoNs: 0,
          prev: '',
          type: 'fault.reverted',
          data: { ref: 'region-a', kind: 'region-loss', revertible: true, verified, done: [], problems: [], manual: [] },
        },
      ] as JournalEntry[];
    expect(pendingFaults([drill, revert(false)])).toHaveLength(1);
    expect(pendingFaults([drill, revert(false), revert(true)])).toEqual([]);
  });
});
