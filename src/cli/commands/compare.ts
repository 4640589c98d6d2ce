import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { compareRuns } from '../../history/compare.js';
import { renderComparison } from '../../history/compare-text.js';
import { readRunModel } from '../../history/run-model.js';
import type { DrillModel } from '../../report/model-types.js';
import { JOURNAL_FILE } from '../../report/write-reports.js';
import { paintFor } from '../ui/paint.js';
import type { CliIo } from '../io.js';

/**
 * `firedrill report <run-dir> --compare <other-run-dir>`: the run in `runDir` against the one in
 * `otherDir` (the baseline), objective by objective, from their journals alone. Prints the
 * comparison (one JSON document with `json`); it judges nothing, so it exits 0.
 */
export async function compareCommand(runDir: string, otherDir: string, opts: { json?: boolean }, io: CliIo): Promise<number> {
  const [current, baseline] = [await readCompared(runDir), await readCompared(otherDir)];
  const comparison = compareRuns(baseline, current);
  if (opts.json) io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  else io.stdout.write(`${renderComparison(comparison, paintFor(io.color(false)))}\n`);
  return 0;
}

async function readCompared(dir: string): Promise<DrillModel> {
  const journal = join(dir, JOURNAL_FILE);
  try {
    await access(journal);
  } catch {
    throw new UsageError(`${journal} not found: give a run directory, e.g. .firedrill/runs/<run-id>`);
  }
  return readRunModel(dir);
}
