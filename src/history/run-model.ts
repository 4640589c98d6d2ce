import { join } from 'node:path';
import type { JournalEntry } from '../journal/entry.js';
import { readJournalEntries } from '../journal/reader.js';
import { foldDrillModel } from '../report/model.js';
import type { DrillModel } from '../report/model-types.js';
import { JOURNAL_FILE } from '../report/write-reports.js';

/**
 * A run directory's journal folded into its model, streaming: history reads many journals, and
 * holds one model at a time, never a journal. The one place history turns a journal into a model.
 */
export async function readRunModel(dir: string): Promise<DrillModel> {
  return foldDrillModel(readJournalEntries(join(dir, JOURNAL_FILE)));
}

/** The journal's first entry (drill.started in a run's journal), read without the rest. */
export async function readFirstEntry(dir: string): Promise<JournalEntry | undefined> {
  for await (const entry of readJournalEntries(join(dir, JOURNAL_FILE))) return entry;
  return undefined;
}
