import { compareRuns } from '../../history/compare.js';
import { renderComparison } from '../../history/compare-text.js';
import { readDrillModel } from '../../report/read-model.js';
import { paintFor } from '../ui/paint.js';
import type { CliIo } from '../io.js';

/**
 * `firedrill report <run-dir> --compare <other-run-dir>`: the run in `runDir` against the one in
 * `otherDir` (the baseline), objective by objective, from their journals alone. Prints the
 * comparison (one JSON document with `json`); it judges nothing, so it exits 0.
 */
export async function compareCommand(runDir: string, otherDir: string, opts: { json?: boolean }, io: CliIo): Promise<number> {
  const [current, baseline] = [await readDrillModel(runDir), await readDrillModel(otherDir)];
  const comparison = compareRuns(baseline, current);
  if (opts.json) io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  else io.stdout.write(`${renderComparison(comparison, paintFor(io.color(false)))}\n`);
  return 0;
}
