import { describe, expect, it } from 'vitest';
import { chooseRegressionGate } from '../../../src/history/baseline.js';
import { baselineChoiceText } from '../../../src/sentences/regression-words.js';
import type { RegressionCheckFacts } from '../../../src/journal/events.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { PLAYBOOK, PROJECT, STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();

describe('chooseRegressionGate', () => {
  it('takes the latest run of the playbook on the project that passed, passing over failed, aborted and interrupted ones', async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T08:00:00Z', recoveryMs: 1500 });
    const chosen = recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
    recordRun(runsDir, { at: '2026-11-20T09:30:00Z', recoveryMs: 6000 }); // failed: missed its 5s target
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
        verdict: 'passed',
        passedOver: 3,
        objectives: [
          { scope: 'drill', index: null, name: 'overall recovery time', measuredMs: 2040, resolutionMs: 250 },
          { scope: 'step', index: 1, name: STEP_NAME, measuredMs: 2000, resolutionMs: 250 },
        ],
      },
    });
    expect(baselineChoiceText(gate)).toBe(
      `regression gate (20%): comparing with run ${chosen} of 2026-11-20 09:00:00 UTC, the last run of this playbook on this project that passed; the 3 newer runs did not pass`,
    );
  });

  it('does not ratchet: a run the gate failed for being slow is not the next baseline', async () => {
    const runsDir = tempDir();
    const healthy = recordRun(runsDir, { at: '2026-11-20T08:00:00Z', recoveryMs: 1000 });
    const gated: RegressionCheckFacts = { baselineRunId: healthy, maxRegressionPct: 20, objectives: [], regressed: 1 };
    recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 3000, regression: gated }); // met its 5s target, failed by the gate
    const gate = await chooseRegressionGate(runsDir, PLAYBOOK, PROJECT, 20);
    expect(gate.baseline).toMatchObject({ runId: healthy, passedOver: 1 });
    expect(baselineChoiceText(gate)).toMatch(/the last run of this playbook on this project that passed; the 1 newer run did not pass$/);
  });

  it("has no baseline, and says why without the runs directory's path, when no run of the playbook on the project passed", async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 6000 }); // failed
    recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: null, outcome: 'aborted' });
    recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: 1000, project: 'other-project' });
    const gate = await chooseRegressionGate(runsDir, PLAYBOOK, PROJECT, 10);
    expect(gate).toEqual({
      maxRegressionPct: 10,
      baseline: {
        runId: null,
        reason: `no earlier run of playbook ${PLAYBOOK} on project ${PROJECT} in the runs directory passed (2 runs of it did not)`,
      },
    });
    if (gate.baseline.runId !== null) throw new Error('expected no baseline');
    expect(gate.baseline.reason).not.toContain(runsDir); // it is journaled, and reaches the customer's report
    expect(baselineChoiceText(gate)).toBe(
      `regression gate (10%): no earlier run of playbook ${PLAYBOOK} on project ${PROJECT} in the runs directory passed (2 runs of it did not); if this run passes, the next compares with it`,
    );
    expect((await chooseRegressionGate(`${runsDir}/missing`, PLAYBOOK, PROJECT, 10)).baseline).toEqual({
      runId: null,
      reason: `no earlier run of playbook ${PLAYBOOK} on project ${PROJECT} in the runs directory passed`,
    });
  });
});
