import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { DrillModel } from './model-types.js';
import { readDrillModel } from './read-model.js';
import { reportDocument } from './report-document.js';
import { AUDIENCES, type Audience } from './document-types.js';

export const MARKDOWN_REPORT_FILE = 'report.md';
export const HTML_REPORT_FILE = 'report.html';
export const JSON_REPORT_FILE = 'report.json';
export const JUNIT_REPORT_FILE = 'junit.xml';

export const REPORT_FORMATS = ['md', 'html', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface WriteReportsOptions {
  /** Every format when not given. */
  formats?: readonly ReportFormat[];
  /** Both audiences when not given (Markdown and HTML only: JSON and JUnit are for machines). */
  audiences?: readonly Audience[];
}

/** report.md for customers, report.engineering.md for engineers; likewise for .html. */
export function reportFileName(format: 'md' | 'html', audience: Audience): string {
  const base = format === 'md' ? MARKDOWN_REPORT_FILE : HTML_REPORT_FILE;
  return audience === 'customer' ? base : base.replace('report.', 'report.engineering.');
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
  const formats = new Set(opts.formats ?? REPORT_FORMATS);
  const files: string[] = [];
  // Audiences are for the reports people read; JSON and JUnit are for machines.
  const audiences = formats.has('md') || formats.has('html') ? (opts.audiences ?? AUDIENCES) : [];
  for (const audience of audiences) {
    const doc = reportDocument(model, audience);
    if (formats.has('md')) files.push(await writeAtomically(join(runDir, reportFileName('md', audience)), renderMarkdown(doc)));
    if (formats.has('html')) files.push(await writeAtomically(join(runDir, reportFileName('html', audience)), renderHtml(doc)));
  }
  if (formats.has('json')) files.push(await writeAtomically(join(runDir, JSON_REPORT_FILE), renderJson(model)));
  if (formats.has('junit')) files.push(await writeAtomically(join(runDir, JUNIT_REPORT_FILE), renderJunit(model)));
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
