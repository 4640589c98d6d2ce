import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { readJournalEntries } from '../journal/reader.js';
import { JOURNAL_FILE } from '../journal/run-directory.js';
import { foldDrillModel } from './model.js';
import type { DrillModel } from './model-types.js';

/**
 * A run directory's journal folded into its model, streaming: the journal is never held, only
 * the model. The one place a run's journal becomes the model every report is made from.
 *
 * Refused (UsageError), rather than reported as "an unnamed drill": a journal that cannot be
 * read whole (the reader names the line), one with no entry at all, and one without the drill's
 * start record, which every run's journal begins with.
 */
export async function readDrillModel(runDir: string): Promise<DrillModel> {
  const path = join(runDir, JOURNAL_FILE);
  const model = await foldDrillModel(readJournalEntries(path));
  if (model.journal.entries === 0) {
    throw new UsageError(
      `the journal ${path} is empty (it holds no complete entry): the run was stopped before it recorded anything, so there is no drill to report on`,
    );
  }
  if (model.playbook === null) {
    throw new UsageError(
      `the journal ${path} has no drill start record (drill.started), which every run's journal begins with: it is damaged, or not a drill's journal`,
    );
  }
  return model;
}
