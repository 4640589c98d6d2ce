import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../../../../src/journal/entry.js';
import { readJournal } from '../../../../src/journal/reader.js';
import { buildDrillModel, type DrillModel } from '../../../../src/report/model.js';
import { recordJournal } from '../../journal/support/drill-script.js';
import { type RegionLossOutcome, playRegionLossDrill } from '../../journal/support/region-loss-drill.js';

/** Records the region-loss drill with an outcome into `<dir>/journal.jsonl` (a run directory). */
export function recordRunDir(dir: string, outcome: RegionLossOutcome): string {
  mkdirSync(dir, { recursive: true });
  recordJournal(join(dir, 'journal.jsonl'), (d) => playRegionLossDrill(d, outcome));
  return dir;
}

/** The journal entries and model of the region-loss drill with an outcome, read back from disk. */
export async function scenario(dir: string, outcome: RegionLossOutcome): Promise<{ entries: JournalEntry[]; model: DrillModel }> {
  recordRunDir(dir, outcome);
  const entries = await readJournal(join(dir, 'journal.jsonl'));
  return { entries, model: buildDrillModel(entries) };
}
