import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal } from '../journal/reader.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { buildDrillModel } from './model.js';
import type { DrillModel } from './model-types.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const MARKDOWN_REPORT_FILE = 'report.md';
export const JSON_REPORT_FILE = 'report.json';

/**
 * Reads `<runDir>/journal.jsonl` and (re)writes report.md and report.json beside it.
 * The reports depend on the journal and nothing else (no clock, no time zone, no locale),
 * so running this again, weeks later, gives the same bytes. Each file is written under a
 * temporary name and renamed, so a reader never sees half a report. The model is returned for
 * callers that also summarise the run, so they need not read the journal again.
 */
export async function writeReports(runDir: string): Promise<{ files: string[]; model: DrillModel }> {
  const model = buildDrillModel(await readJournal(join(runDir, JOURNAL_FILE)));
  const outputs: [string, string][] = [
    [MARKDOWN_REPORT_FILE, renderMarkdown(model)],
    [JSON_REPORT_FILE, renderJson(model)],
  ];
  const files: string[] = [];
  for (const [name, text] of outputs) {
    const path = join(runDir, name);
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
    files.push(path);
  }
  return { files, model };
}
