import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../../../../src/journal/entry.js';
import { readJournal } from '../../../../src/journal/reader.js';
import { buildDrillModel, type DrillModel } from '../../../../src/report/model.js';
import { type DrillScript, recordJournal } from '../../journal/support/drill-script.js';
import { type RegionLossOutcome, playRegionLossDrill } from '../../journal/support/region-loss-drill.js';
import { playCrowdedDrill } from './crowded-drill.js';

/** Records the region-loss drill with an outcome into `<dir>/journal.jsonl` (a run directory). */
export function recordRunDir(dir: string, outcome: RegionLossOutcome): string {
  return recordPlayedRunDir(dir, (d) => playRegionLossDrill(d, outcome));
}

/** Records the crowded drill (long names, events close together; crowded-drill.ts) into a run directory. */
export function recordCrowdedRunDir(dir: string): string {
  return recordPlayedRunDir(dir, playCrowdedDrill);
}

function recordPlayedRunDir(dir: string, play: (script: DrillScript) => void): string {
  mkdirSync(dir, { recursive: true });
  recordJournal(join(dir, 'journal.jsonl'), play);
  return dir;
}

/** The journal entries and model of the region-loss drill with an outcome, read back from disk. */
export async function scenario(dir: string, outcome: RegionLossOutcome): Promise<{ entries: JournalEntry[]; model: DrillModel }> {
  recordRunDir(dir, outcome);
  const entries = await readJournal(join(dir, 'journal.jsonl'));
  return { entries, model: buildDrillModel(entries) };
}
