import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../../src/cli/commands/compare.js';
import { UsageError } from '../../../src/errors.js';
import { ExitCode } from '../../../src/exit-codes.js';
import type { RunComparison } from '../../../src/history/compare.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { captureIo } from '../history/support/capture-io.js';
import { recordRun } from '../history/support/scripted-runs.js';

const tempDir = useTempDir();

/** A baseline that recovered in 2s and a later run that took 6s (its 5s objective missed). */
function twoRuns() {
  const dir = tempDir();
  const baseline = join(dir, recordRun(dir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 }));
  const current = join(dir, recordRun(dir, { at: '2026-11-21T09:00:00Z', recoveryMs: 6000 }));
  return { baseline, current };
}

describe('report <run-dir> --compare <other-run-dir>', () => {
  it('says, from the two journals, what got slower and by how much, with the resolutions', async () => {
    const { baseline, current } = twoRuns();
    const captured = captureIo();
    expect(await compareCommand(current, baseline, {}, captured.io)).toBe(ExitCode.Passed);
    const lines = captured.stdout().split('\n');
    expect(lines[0]).toMatch(/^run 20261121T090000Z-app-crash-\w{6} \(app-crash, failed, started 2026-11-21 09:00:00\.000 UTC\)$/);
    expect(lines[1]).toMatch(
      /^ {2}compared with run 20261120T090000Z-app-crash-\w{6} \(app-crash, passed, started 2026-11-20 09:00:00\.000 UTC\)$/,
    );
    expect(lines.slice(2)).toEqual([
      'verdict: Passed → Failed',
      '  slower  overall recovery time: 2.040s → 6.040s, +4.000s slower (+196.1%) (resolutions ±250ms and ±250ms); target 10s, met',
      '  slower  “app serves again”: 2.000s → 6.000s, +4.000s slower (+200%) (resolutions ±250ms and ±250ms); target 5s, missed',
      'in all: 2 slower',
      '',
    ]);
  });

  it('prints the comparison as one JSON document', async () => {
    const { baseline, current } = twoRuns();
    const captured = captureIo();
    await compareCommand(current, baseline, { json: true }, captured.io);
    const doc = JSON.parse(captured.stdout()) as RunComparison;
    expect(doc.verdictChanged).toBe(true);
    expect(doc.objectives.map((o) => [o.name, o.status, o.changeMs])).toEqual([
      ['overall recovery time', 'worse', 4000],
      ['app serves again', 'worse', 4000],
    ]);
  });

  it('is a usage error when a directory holds no journal', async () => {
    const { current } = twoRuns();
    await expect(compareCommand(current, tempDir(), {}, captureIo().io)).rejects.toThrow(UsageError);
  });
});
