import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from '../../errors.js';
import { writeReports } from '../../report/write-reports.js';
import type { CliIo } from '../io.js';

/** `firedrill report <run-dir>`: regenerates the reports from the journal alone. */
export async function reportCommand(dir: string, io: CliIo): Promise<number> {
  const journal = join(dir, 'journal.jsonl');
  try {
    await access(journal);
  } catch {
    throw new UsageError(`${journal} not found: give a run directory, e.g. .firedrill/runs/<run-id>`);
  }
  const { files } = await writeReports(dir);
  io.stdout.write(files.map((file) => `wrote ${relative(process.cwd(), file) || file}`).join('\n') + '\n');
  return 0;
}
