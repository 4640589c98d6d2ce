import { join } from 'node:path';
import { readJournalEntries } from '../journal/reader.js';
import { JOURNAL_FILE } from '../run/run-directory.js';
import { foldDrillModel } from './model.js';
import type { DrillModel } from './model-types.js';

/**
 * A run directory's journal folded into its model, streaming: the journal is never held, only
 * the model. The one place a run's journal becomes the model every report is made from.
 */
export function readDrillModel(runDir: string): Promise<DrillModel> {
  return foldDrillModel(readJournalEntries(join(runDir, JOURNAL_FILE)));
}
