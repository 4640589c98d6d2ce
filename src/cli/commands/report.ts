import { relative } from 'node:path';
import { AUDIENCES, type Audience } from '../../report/document-types.js';
import { REPORT_FORMATS, type ReportFormat, reportFormats } from '../../report/formats.js';
import { writeReports } from '../../report/write-reports.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';

export interface ReportOptions {
  format: ReportFormat | 'all';
  audience: Audience | 'all';
  /** Compare with this run instead of writing reports. */
  compare?: string;
  json?: boolean;
}

/**
 * `firedrill report <run-dir>`: regenerates the reports from the journal alone. A directory
 * without a journal is refused by the journal reader, before anything is written.
 * `--json` belongs to `--compare` (the comparison as JSON); alone it is refused rather than
 * ignored: reports are files, and the JSON report is `--format json`, so one flag keeps one meaning.
 */
export async function reportCommand(dir: string, opts: ReportOptions, io: CliIo): Promise<number> {
  if (opts.json && opts.compare === undefined) {
    throw new UsageError(
      `--json only applies with --compare (it prints the comparison as JSON); for the JSON report, use --format json, which writes ${reportFormats.json.file} into the run directory`,
    );
  }
  if (opts.compare !== undefined) {
    const { compareCommand } = await import('./compare.js');
    return compareCommand(dir, opts.compare, { json: opts.json ?? false }, io);
  }
  const { files } = await writeReports(dir, {
    formats: opts.format === 'all' ? REPORT_FORMATS : [opts.format],
    audiences: opts.audience === 'all' ? AUDIENCES : [opts.audience],
  });
  io.stdout.write(`${files.map((file) => `wrote ${relative(process.cwd(), file) || file}`).join('\n')}\n`);
  return 0;
}
