import { describe, expect, it } from 'vitest';
import { readRunModel } from '../../../src/history/run-model.js';
import { renderRegression } from '../../../src/report/markdown-regression.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();
const BASELINE = '20261120T090000Z-app-crash-aaaaaa';

describe('renderRegression', () => {
  it('is null when no gate ran, so other reports are unchanged', async () => {
    const runsDir = tempDir();
    const model = await readRunModel(`${runsDir}/${recordRun(runsDir, { at: '2026-11-21T09:00:00Z', recoveryMs: 3000 })}`);
    expect(model.regression).toBeNull();
    expect(renderRegression(model)).toBeNull();
  });

  it('tells from the journal which run was the baseline, each objective there and here, and what regressed', async () => {
    const runsDir = tempDir();
    const runId = recordRun(runsDir, {
      at: '2026-11-21T09:00:00Z',
      recoveryMs: 3000,
      regression: {
        baselineRunId: BASELINE, maxRegressionPct: 20, regressed: 1,
        objectives: [
          { name: 'overall recovery time', scope: 'drill', baselineMs: 2900, measuredMs: 3040, changeMs: 140, changePct: 4.827586, combinedResolutionMs: 500, outcome: 'within-resolution', regressed: false },
          { name: STEP_NAME, scope: 'step', index: 1, baselineMs: 1000, measuredMs: 3000, changeMs: 2000, changePct: 200, combinedResolutionMs: 500, outcome: 'regressed', regressed: true },
          { name: 'sessions survive', scope: 'step', index: 2, baselineMs: null, measuredMs: 800, changeMs: null, changePct: null, combinedResolutionMs: null, outcome: 'not-in-baseline', regressed: false },
        ],
      },
    });
    const model = await readRunModel(`${runsDir}/${runId}`);
    expect(model.verdict).toBe('failed');
    expect(renderRegression(model)).toBe(
      [
        `This run's recovery times were compared with those of run \`${BASELINE}\`, the last finished run of this playbook on this project. ` +
          "An objective **regresses** when it is more than 20% slower than there and slower by more than the two measurements' resolutions added together: a smaller change could come from the polling alone.",
        '',
        '| Objective | Baseline | This run | Change | Result |',
        '| --- | --- | --- | --- | --- |',
        '| Overall recovery time | 2.900s | 3.040s | +0.140s (+4.9%) | ✔ within the ±500ms the two measurements allow: no change to speak of |',
        '| Recovery time of “app serves again” | 1.000s | 3.000s | +2.000s (+200%) | ✘ regressed: more than 20% slower, and beyond the ±500ms the two measurements allow |',
        '| Recovery time of “sessions survive” | — | 0.800s | — | not compared: the baseline has no such objective |',
        '',
        '**1 objective regressed**, so the drill failed (exit code 1), whether or not the targets were met.',
      ].join('\n'),
    );
  });

  it('says that the gate passed without comparing when there was no baseline', async () => {
    const runsDir = tempDir();
    const runId = recordRun(runsDir, {
      at: '2026-11-21T09:00:00Z', recoveryMs: 3000,
      regression: { baselineRunId: null, maxRegressionPct: 20, reason: 'no earlier finished run of playbook app-crash on project shop in runs', regressed: 0 },
    });
    expect(renderRegression(await readRunModel(`${runsDir}/${runId}`))).toBe(
      'The regression gate (at most 20% slower) had nothing to compare with: no earlier finished run of playbook app-crash on project shop in runs. ' +
        'It passed without comparing anything; this run can be the baseline of the next.',
    );
  });
});
