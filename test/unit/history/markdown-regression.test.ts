import { describe, expect, it } from 'vitest';
import { readDrillModel } from '../../../src/report/read-model.js';
import { renderRegression } from '../../../src/report/markdown-regression.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();
const BASELINE = '20261120T090000Z-app-crash-aaaaaa';

describe('renderRegression', () => {
  it('is null when no gate ran, so other reports are unchanged', async () => {
    const runsDir = tempDir();
    const model = await readDrillModel(`${runsDir}/${recordRun(runsDir, { at: '2026-11-21T09:00:00Z', recoveryMs: 3000 })}`);
    expect(model.regression).toBeNull();
    expect(renderRegression(model)).toBeNull();
  });

  it('tells from the journal which run was the baseline, each objective there and here, and what regressed', async () => {
    const runsDir = tempDir();
    const runId = recordRun(runsDir, {
      at: '2026-11-21T09:00:00Z',
      recoveryMs: 3000,
      regression: {
        baselineRunId: BASELINE,
        maxRegressionPct: 20,
        regressed: 1,
        objectives: [
          {
            name: 'overall recovery time',
            scope: 'drill',
            baselineMs: 2900,
            measuredMs: 3040,
            changeMs: 140,
            changePct: 4.827586,
            combinedResolutionMs: 500,
            lowerBoundChangeMs: -110,
            outcome: 'within-resolution',
            regressed: false,
          },
          {
            name: STEP_NAME,
            scope: 'step',
            index: 1,
            baselineMs: 1000,
            measuredMs: 3000,
            changeMs: 2000,
            changePct: 200,
            combinedResolutionMs: 500,
            lowerBoundChangeMs: 1750,
            outcome: 'regressed',
            regressed: true,
          },
          {
            name: 'sessions survive',
            scope: 'step',
            index: 2,
            baselineMs: null,
            measuredMs: 800,
            changeMs: null,
            changePct: null,
            combinedResolutionMs: null,
            outcome: 'not-in-baseline',
            regressed: false,
          },
        ],
      },
    });
    const model = await readDrillModel(`${runsDir}/${runId}`);
    expect(model.verdict).toBe('failed');
    expect(renderRegression(model)).toBe(
      [
        `This run's recovery times were compared with those of run \`${BASELINE}\`, the last run of this playbook on this project that passed. ` +
          "A polled recovery time is late by up to its resolution, never early, so only what is left of a slowdown once this run's resolution is taken off it counts: " +
          'an objective **regresses** when that is more than 20% of its time there.',
        '',
        '| Objective | Baseline | This run | Change | Result |',
        '| --- | --- | --- | --- | --- |',
        '| Overall recovery time | 2.900s | 3.040s | +0.140s (+4.9%) | ✔ within resolution: the polling alone could account for the change, so no change to speak of |',
        "| Recovery time of “app serves again” | 1.000s | 3.000s | +2.000s (+200%) | ✘ regressed: +1.750s (+175%) slower even if this run's measurement was late by its full 250ms resolution, more than 20% |",
        '| Recovery time of “sessions survive” | — | 0.800s | — | not compared: the baseline has no such objective |',
        '',
        '**1 objective regressed**, so the drill failed (exit code 1), whether or not the targets were met.',
      ].join('\n'),
    );
  });

  it('says that the gate passed without comparing when there was no baseline', async () => {
    const runsDir = tempDir();
    const runId = recordRun(runsDir, {
      at: '2026-11-21T09:00:00Z',
      recoveryMs: 3000,
      regression: {
        baselineRunId: null,
        maxRegressionPct: 20,
        reason: 'no earlier run of playbook app-crash on project shop in the runs directory passed',
        regressed: 0,
      },
    });
    expect(renderRegression(await readDrillModel(`${runsDir}/${runId}`))).toBe(
      'The regression gate (at most 20% slower) had nothing to compare with: no earlier run of playbook app-crash on project shop in the runs directory passed. ' +
        'It passed without comparing anything; this run, which passed, is the baseline of the next.',
    );
    const failed = recordRun(runsDir, {
      at: '2026-11-21T10:00:00Z',
      recoveryMs: 6000,
      regression: {
        baselineRunId: null,
        maxRegressionPct: 20,
        reason: 'no earlier run of playbook app-crash on project shop in the runs directory passed',
        regressed: 0,
      },
    });
    expect(renderRegression(await readDrillModel(`${runsDir}/${failed}`))).toMatch(
      /; this run did not pass, so it will not be the baseline of the next\.$/,
    );
  });
});
