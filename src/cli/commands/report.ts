import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Audience } from '../../report/report-document.js';
import { REPORT_FORMATS, type ReportFormat, writeReports } from '../../report/write-reports.js';
import type { CliIo } from '../io.js';

export interface ReportOptions {
  format: ReportFormat | 'all';
  audience: Audience | 'all';
  /** Compare with this run instead of writing reports. */
  compare?: string;
  json?: boolean;
}

/** `firedrill report <run-dir>`: regenerates the reports from the journal alone. */
export async function reportCommand(dir: string, opts: ReportOptions, io: CliIo): Promise<number> {
  await requireJournal(dir);
  if (opts.compare !== undefined) {
    const { compareCommand } = await import('./compare.js');
    return compareCommand(dir, opts.compare, { json: opts.json ?? false }, io);
  }
  const { files } = await writeReports(dir, {
    formats: opts.format === 'all' ? REPORT_FORMATS : [opts.format],
    audiences: opts.audience === 'all' ? ['customer', 'engineering'] : [opts.audience],
  });
  io.stdout.write(files.map((file) => `wrote ${relative(process.cwd(), file) || file}`).join('\n') + '\n');
  return 0;
}

export async function requireJournal(dir: string): Promise<void> {
  const journal = join(dir, 'journal.jsonl');
  try {
    await access(journal);
  } catch {
    throw new UsageError(`${journal} not found: give a run directory, e.g. .firedrill/runs/<run-id>`);
  }
}
