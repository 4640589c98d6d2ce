import { describe, expect, it } from 'vitest';
import { checkRegression, type BaselineObjective, type RegressionGate } from '../../../src/history/regression.js';
import { regressionOutcomeText, regressionSummaryText } from '../../../src/history/regression-words.js';
import type { EventMap } from '../../../src/run/events.js';
import { decideVerdict, type RunFacts } from '../../../src/run/verdict.js';

type Evaluated = EventMap['objective.evaluated'];

const baselineStep = (measuredMs: number | null, resolutionMs: number | null = 250): BaselineObjective => ({ scope: 'step', index: 1, name: 'app serves again', measuredMs, resolutionMs });
const currentStep = (measuredMs: number | null, resolutionMs: number | null = 250): Evaluated => ({
  scope: 'step', index: 1, name: 'app serves again', targetMs: 60_000, measuredMs, resolutionMs, met: measuredMs !== null,
});

function gate(objectives: BaselineObjective[], maxRegressionPct = 20): RegressionGate {
  return { maxRegressionPct, baseline: { runId: '20261120T090000Z-app-crash-aaaaaa', startedAt: '2026-11-20T09:00:00.000Z', verdict: 'passed', passedOver: 0, objectives } };
}

describe('checkRegression', () => {
  it('finds a regression: slower by more than the limit and by more than the two resolutions', () => {
    const facts = checkRegression(gate([baselineStep(1000)]), [currentStep(3000)]);
    expect(facts).toMatchObject({ baselineRunId: '20261120T090000Z-app-crash-aaaaaa', maxRegressionPct: 20, regressed: 1 });
    if (facts.baselineRunId === null) throw new Error('expected a baseline');
    expect(facts.objectives).toEqual([
      { name: 'app serves again', scope: 'step', index: 1, baselineMs: 1000, measuredMs: 3000, changeMs: 2000, changePct: 200, combinedResolutionMs: 500, outcome: 'regressed', regressed: true },
    ]);
  });

  it('does not fail on noise: 40% slower but within the ±500ms two 250ms polls allow', () => {
    const facts = checkRegression(gate([baselineStep(1000)]), [currentStep(1400)]);
    expect(facts.regressed).toBe(0);
    expect(facts.baselineRunId !== null && facts.objectives[0]).toMatchObject({ changePct: 40, outcome: 'within-resolution', regressed: false });
    // With exact measurements the same 400ms is a regression.
    expect(checkRegression(gate([baselineStep(1000, 0)]), [currentStep(1400, 0)]).regressed).toBe(1);
  });

  it('lets a slowdown beyond the resolution pass when it is within the limit, and the limit is exclusive', () => {
    const within = checkRegression(gate([baselineStep(10_000)]), [currentStep(12_000)]);
    expect(within.baselineRunId !== null && within.objectives[0]).toMatchObject({ changePct: 20, outcome: 'within-limit', regressed: false });
    expect(checkRegression(gate([baselineStep(10_000)]), [currentStep(12_001)]).regressed).toBe(1);
    expect(checkRegression(gate([baselineStep(10_000)], 0), [currentStep(10_501)]).regressed).toBe(1);
  });

  it('does not compare what either run left unmeasured, nor an objective the baseline lacks', () => {
    const drill: Evaluated = { scope: 'drill', name: 'overall recovery time', targetMs: 60_000, measuredMs: 9000, resolutionMs: 250, met: true };
    const cases = [
      checkRegression(gate([baselineStep(1000)]), [currentStep(null)]),
      checkRegression(gate([baselineStep(null)]), [currentStep(9000)]),
      checkRegression(gate([baselineStep(1000)]), [drill]),
    ];
    expect(cases.map((facts) => facts.baselineRunId !== null && facts.objectives.map((o) => [o.outcome, o.regressed, o.changeMs]))).toEqual([
      [['not-measured', false, null]],
      [['baseline-not-measured', false, null]],
      [['not-in-baseline', false, null]],
    ]);
    expect(cases.every((facts) => facts.regressed === 0)).toBe(true);
  });

  it('passes, and says why, when there is no baseline', () => {
    const facts = checkRegression({ maxRegressionPct: 15, baseline: { runId: null, reason: 'no earlier finished run of playbook app-crash on project shop in runs' } }, [currentStep(3000)]);
    expect(facts).toEqual({ baselineRunId: null, maxRegressionPct: 15, reason: 'no earlier finished run of playbook app-crash on project shop in runs', regressed: 0 });
    expect(regressionSummaryText(facts)).toBe('regression gate (15%): no baseline — no earlier finished run of playbook app-crash on project shop in runs; nothing compared, the gate passes');
  });

  it('is said in words for each outcome', () => {
    const facts = checkRegression(gate([baselineStep(1000)]), [currentStep(3000)]);
    if (facts.baselineRunId === null) throw new Error('expected a baseline');
    expect(regressionOutcomeText(facts.objectives[0]!, 20)).toBe('regressed: more than 20% slower, and beyond the ±500ms the two measurements allow');
    expect(regressionSummaryText(facts)).toBe('regression gate (20%) against run 20261120T090000Z-app-crash-aaaaaa: 1 objective regressed — "app serves again" 1.000s → 3.000s (+200%)');
  });
});

describe('decideVerdict with the regression gate', () => {
  const facts = (over: Partial<RunFacts>): RunFacts => ({
    environmentError: false, stepFailed: false, objectivesMissed: 0, objectivesTotal: 2, restoreFailed: false, steadyStateAfterFailed: false,
    faultsRemaining: 0, regressions: 0, ...over,
  });

  it('fails a run that met every objective but regressed, with exit code 1', () => {
    expect(decideVerdict(facts({ regressions: 1, maxRegressionPct: 20 }))).toEqual({
      verdict: 'failed', exitCode: 1, reason: 'recovery time regressed beyond 20% on 1 objective(s)',
    });
  });

  it('adds the regression to the other problems, and leaves worse outcomes as they were', () => {
    expect(decideVerdict(facts({ regressions: 2, maxRegressionPct: 12.5, objectivesMissed: 1 })).reason).toBe(
      '1 of 2 objectives missed; recovery time regressed beyond 12.5% on 2 objective(s)',
    );
    expect(decideVerdict(facts({ regressions: 1, maxRegressionPct: 20, abortCause: 'signal' }))).toMatchObject({ verdict: 'aborted', exitCode: 4 });
    expect(decideVerdict(facts({}))).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
});
