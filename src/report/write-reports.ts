import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIENCES, type Audience } from './document-types.js';
import { type AudienceReportFormat, REPORT_FORMATS, type ReportFormat, type RunReportFormat, reportFormats } from './formats.js';
import type { DrillModel } from './model-types.js';
import { readDrillModel } from './read-model.js';

export interface WriteReportsOptions {
  /** Every format when not given. */
  formats?: readonly ReportFormat[];
  /** Both audiences when not given (for the reports people read only: machines have no audience). */
  audiences?: readonly Audience[];
}

/** The formats written once for each audience. */
type AudienceFormatName = {
  [Name in ReportFormat]: (typeof reportFormats)[Name] extends AudienceReportFormat ? Name : never;
}[ReportFormat];

/** report.md for customers, report.engineering.md for engineers; likewise for .html. */
export function reportFileName(format: AudienceFormatName, audience: Audience): string {
  return reportFormats[format].files[audience];
}

/**
 * Reads `<runDir>/journal.jsonl` as a stream and (re)writes the reports beside it. The
 * reports depend on the journal and nothing else (no clock, no time zone, no locale), so
 * running this again, weeks later, gives the same bytes. Each file is written under a
 * temporary name and renamed, so a reader never sees half a report. The model is returned for
 * callers that also summarise the run, so they need not read the journal again.
 */
export async function writeReports(runDir: string, opts: WriteReportsOptions = {}): Promise<{ files: string[]; model: DrillModel }> {
  const model = await readDrillModel(runDir);
  const wanted = new Set(opts.formats ?? REPORT_FORMATS);
  // In the map's order, whatever the order asked in: the files come out the same way every time.
  const names = REPORT_FORMATS.filter((name) => wanted.has(name));
  const chosen = names.map((name): AudienceReportFormat | RunReportFormat => reportFormats[name]);
  const forPeople = chosen.filter((format) => 'files' in format);
  const forMachines = chosen.filter((format) => 'file' in format);
  const files: string[] = [];
  if (forPeople.length > 0) {
    // Each audience's reports are laid out from one document, loaded and built only when asked for.
    const { reportDocument } = await import('./report-document.js');
    for (const audience of opts.audiences ?? AUDIENCES) {
      const doc = reportDocument(model, audience);
      for (const format of forPeople) {
        const render = await format.renderer();
        files.push(await writeAtomically(join(runDir, format.files[audience]), render(doc)));
      }
    }
  }
  for (const format of forMachines) {
    const render = await format.renderer();
    files.push(await writeAtomically(join(runDir, format.file), render(model)));
  }
  return { files, model };
}

/** Writes under a temporary name, then renames: a reader never sees half a file, and a failure leaves no temporary file. */
export async function writeAtomically(path: string, text: string): Promise<string> {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  return path;
}
