import { describe, expect, it } from 'vitest';
import { chooseRegressionGate } from '../../../src/history/baseline.js';
import { baselineChoiceText } from '../../../src/history/regression-words.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { PLAYBOOK, PROJECT, STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();

describe('chooseRegressionGate', () => {
  it('takes the latest run of the playbook on the project that ran to the end, passing over aborted and interrupted ones', async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T08:00:00Z', recoveryMs: 1500 });
    const chosen = recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 6000 }); // failed: it still measured
    recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: null, outcome: 'aborted' });
    recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: null, outcome: 'cut-off' });
    recordRun(runsDir, { at: '2026-11-20T12:00:00Z', recoveryMs: 1000, project: 'other-project' });
    recordRun(runsDir, { at: '2026-11-20T13:00:00Z', recoveryMs: 1000, playbook: 'db-failover' });

    const gate = await chooseRegressionGate(runsDir, PLAYBOOK, PROJECT, 20);
    expect(gate).toEqual({
      maxRegressionPct: 20,
      baseline: {
        runId: chosen,
        startedAt: '2026-11-20T09:00:00.000Z',
        verdict: 'failed',
        passedOver: 2,
        objectives: [
          { scope: 'drill', index: null, name: 'overall recovery time', measuredMs: 6040, resolutionMs: 250 },
          { scope: 'step', index: 1, name: STEP_NAME, measuredMs: 6000, resolutionMs: 250 },
        ],
      },
    });
    expect(baselineChoiceText(gate)).toBe(
      `regression gate (20%): comparing with run ${chosen} of 2026-11-20 09:00:00 UTC (failed), the last finished run of this playbook on this project; 2 newer runs that did not run to the end passed over`,
    );
  });

  it('has no baseline, and says why, when no run of the playbook on the project ran to the end', async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: null, outcome: 'aborted' });
    recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: 1000, project: 'other-project' });
    const gate = await chooseRegressionGate(runsDir, PLAYBOOK, PROJECT, 10);
    expect(gate).toEqual({
      maxRegressionPct: 10,
      baseline: { runId: null, reason: `no earlier finished run of playbook ${PLAYBOOK} on project ${PROJECT} in ${runsDir} (1 run that did not run to the end passed over)` },
    });
    expect((await chooseRegressionGate(`${runsDir}/missing`, PLAYBOOK, PROJECT, 10)).baseline.runId).toBeNull();
  });
});
