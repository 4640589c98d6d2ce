import { describe, expect, it } from 'vitest';
import { checkRegression, type BaselineObjective, type RegressionGate } from '../../../src/run/regression.js';
import { regressionCheckedSentence, regressionOutcomeText } from '../../../src/sentences/regression-words.js';
import { PLAIN_STYLE } from '../../../src/sentences/style.js';
import type { EventMap } from '../../../src/journal/events.js';
import { decideVerdict, type RunFacts } from '../../../src/run/verdict.js';

type Evaluated = EventMap['objective.evaluated'];

const baselineStep = (measuredMs: number | null, resolutionMs: number | null = 250): BaselineObjective => ({
  scope: 'step',
  index: 1,
  name: 'app serves again',
  measuredMs,
  resolutionMs,
});
const currentStep = (measuredMs: number | null, resolutionMs: number | null = 250): Evaluated => ({
  scope: 'step',
  index: 1,
  name: 'app serves again',
  targetMs: 60_000,
  measuredMs,
  resolutionMs,
  met: measuredMs !== null,
});

function gate(objectives: BaselineObjective[], maxRegressionPct = 20): RegressionGate {
  return {
    maxRegressionPct,
    baseline: {
      runId: '20261120T090000Z-app-crash-aaaaaa',
      startedAt: '2026-11-20T09:00:00.000Z',
      verdict: 'passed',
      passedOver: 0,
      objectives,
    },
  };
}

describe('checkRegression', () => {
  it("finds a regression: slower by more than the limit even after taking this run's resolution off the change", () => {
    const facts = checkRegression(gate([baselineStep(1000)]), [currentStep(3000)]);
    expect(facts).toMatchObject({ baselineRunId: '20261120T090000Z-app-crash-aaaaaa', maxRegressionPct: 20, regressed: 1 });
    if (facts.baselineRunId === null) throw new Error('expected a baseline');
    expect(facts.objectives).toEqual([
      {
        name: 'app serves again',
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
    ]);
  });

  it('holds the lower bound of the change against the limit: a measurement is only ever late, never early', () => {
    // 1000ms ±250 → 1400ms ±250: this run may be up to 250ms late, so the true change is at least
    // 150ms = 15%, beyond a 10% limit. (Adding both resolutions, ±500ms, would have hidden it.)
    const facts = checkRegression(gate([baselineStep(1000)], 10), [currentStep(1400)]);
    expect(facts.regressed).toBe(1);
    expect(facts.baselineRunId !== null && facts.objectives[0]).toMatchObject({
      changeMs: 400,
      changePct: 40,
      lowerBoundChangeMs: 150,
      outcome: 'regressed',
    });
    // The same 15% is within a 20% limit.
    const within = checkRegression(gate([baselineStep(1000)], 20), [currentStep(1400)]);
    expect(within.baselineRunId !== null && within.objectives[0]).toMatchObject({ outcome: 'within-limit', regressed: false });
  });

  it("calls a change within resolution only when this run's resolution could account for a slowdown, or the baseline's for a speed-up", () => {
    const outcome = (baselineMs: number, baselineRes: number, currentMs: number, currentRes: number) => {
      const facts = checkRegression(gate([baselineStep(baselineMs, baselineRes)], 0), [currentStep(currentMs, currentRes)]);
      return facts.baselineRunId !== null ? facts.objectives[0]?.outcome : undefined;
    };
    // Slower: only this run's resolution counts against it.
    expect(outcome(1000, 1000, 1250, 250)).toBe('within-resolution');
    expect(outcome(1000, 1000, 1251, 250)).toBe('regressed');
    // Faster: only the baseline's resolution counts against it.
    expect(outcome(1000, 100, 900, 1000)).toBe('within-resolution');
    expect(outcome(1000, 100, 899, 1000)).toBe('faster');
    // Exact measurements: any change is a change.
    expect(outcome(1000, 0, 1001, 0)).toBe('regressed');
  });

  it('lets a slowdown beyond the resolution pass when its lower bound is within the limit, and the limit is exclusive', () => {
    // 10s → 12.25s ±250ms: at least 2s slower, exactly 20%.
    const within = checkRegression(gate([baselineStep(10_000)]), [currentStep(12_250)]);
    expect(within.baselineRunId !== null && within.objectives[0]).toMatchObject({
      changePct: 22.5,
      lowerBoundChangeMs: 2000,
      outcome: 'within-limit',
      regressed: false,
    });
    expect(checkRegression(gate([baselineStep(10_000)]), [currentStep(12_251)]).regressed).toBe(1);
    expect(checkRegression(gate([baselineStep(1000)], 12.5), [currentStep(1375)]).regressed).toBe(0);
    expect(checkRegression(gate([baselineStep(1000)], 12.5), [currentStep(1376)]).regressed).toBe(1);
    // Exactly 7% (210ms of 3s), which 210 / 3000 * 100 makes 7.000000000000001 in floating point.
    expect(checkRegression(gate([baselineStep(3000)], 7), [currentStep(3460)]).regressed).toBe(0);
  });

  it('regresses any slowdown beyond the resolution from a baseline of 0ms, and says so without a percentage', () => {
    const facts = checkRegression(gate([baselineStep(0)]), [currentStep(1400)]);
    if (facts.baselineRunId === null) throw new Error('expected a baseline');
    expect(facts.objectives[0]).toMatchObject({ changePct: null, lowerBoundChangeMs: 1150, outcome: 'regressed' });
    expect(regressionOutcomeText(facts.objectives[0]!, 20)).toBe(
      "regressed: +1.150s slower than a baseline of 0ms even if this run's measurement was late by its full 250ms resolution, more than 20%",
    );
    expect(regressionCheckedSentence(facts, PLAIN_STYLE)).toBe(
      'regression check against run "20261120T090000Z-app-crash-aaaaaa": 1 objective regressed beyond 20% — "app serves again" 0.000s → 1.400s (+1.400s from 0ms)',
    );
    expect(regressionCheckedSentence(facts, PLAIN_STYLE)).not.toContain('Infinity');
  });

  it('does not compare what either run left unmeasured, nor an objective the baseline lacks', () => {
    const drill: Evaluated = {
      scope: 'drill',
      name: 'overall recovery time',
      targetMs: 60_000,
      measuredMs: 9000,
      resolutionMs: 250,
      met: true,
    };
    const cases = [
      checkRegression(gate([baselineStep(1000)]), [currentStep(null)]),
      checkRegression(gate([baselineStep(null)]), [currentStep(9000)]),
      checkRegression(gate([baselineStep(1000)]), [drill]),
    ];
    expect(cases.map((facts) => facts.baselineRunId !== null && facts.objectives.map((o) => [o.outcome, o.regressed, o.changeMs]))).toEqual(
      [[['not-measured', false, null]], [['baseline-not-measured', false, null]], [['not-in-baseline', false, null]]],
    );
    expect(cases.every((facts) => facts.regressed === 0)).toBe(true);
  });

  it('passes, and says why, when there is no baseline', () => {
    const reason = 'no earlier run of playbook app-crash on project shop in the runs directory passed';
    const facts = checkRegression({ maxRegressionPct: 15, baseline: { runId: null, reason } }, [currentStep(3000)]);
    expect(facts).toEqual({ baselineRunId: null, maxRegressionPct: 15, reason, regressed: 0 });
    expect(regressionCheckedSentence(facts, PLAIN_STYLE)).toBe(`regression check: nothing to compare with (${reason}); the gate passes`);
  });

  it('is said in words for each outcome', () => {
    const facts = checkRegression(gate([baselineStep(1000)]), [currentStep(3000)]);
    if (facts.baselineRunId === null) throw new Error('expected a baseline');
    expect(regressionOutcomeText(facts.objectives[0]!, 20)).toBe(
      "regressed: +1.750s (+175%) slower even if this run's measurement was late by its full 250ms resolution, more than 20%",
    );
    expect(regressionCheckedSentence(facts, PLAIN_STYLE)).toBe(
      'regression check against run "20261120T090000Z-app-crash-aaaaaa": 1 objective regressed beyond 20% — "app serves again" 1.000s → 3.000s (+200%, at least +175%)',
    );
    const words = (baselineMs: number, currentMs: number) => {
      const checked = checkRegression(gate([baselineStep(baselineMs)]), [currentStep(currentMs)]);
      return checked.baselineRunId !== null ? regressionOutcomeText(checked.objectives[0]!, 20) : '';
    };
    expect(words(10_000, 11_000)).toBe(
      "+0.750s (+7.5%) slower even if this run's measurement was late by its full 250ms resolution, but within 20%",
    );
    expect(words(1000, 1200)).toBe('within resolution: the polling alone could account for the change, so no change to speak of');
    expect(words(1000, 700)).toBe('faster, beyond what the polling could account for');
  });

  it('words a journal written before the lower bound was recorded without it', () => {
    const old = {
      name: 'app serves again',
      scope: 'step' as const,
      index: 1,
      baselineMs: 1000,
      measuredMs: 3000,
      changeMs: 2000,
      changePct: 200,
      combinedResolutionMs: 500,
      outcome: 'regressed' as const,
      regressed: true,
    };
    expect(regressionOutcomeText(old, 20)).toBe('regressed: slower beyond what the polling could account for, more than 20%');
    expect(regressionCheckedSentence({ baselineRunId: 'r', maxRegressionPct: 20, objectives: [old], regressed: 1 }, PLAIN_STYLE)).toContain(
      '"app serves again" 1.000s → 3.000s (+200%)',
    );
  });
});

describe('decideVerdict with the regression gate', () => {
  const facts = (over: Partial<RunFacts>): RunFacts => ({
    stepFailed: false,
    objectivesMissed: 0,
    objectivesTotal: 2,
    restoreFailed: false,
    steadyStateAfterFailed: false,
    faultsRemaining: 0,
    regressions: 0,
    ...over,
  });

  it('fails a run that met every objective but regressed, with exit code 1', () => {
    expect(decideVerdict(facts({ regressions: 1, maxRegressionPct: 20 }))).toEqual({
      verdict: 'failed',
      exitCode: 1,
      reason: 'recovery time regressed beyond 20% on 1 objective(s)',
    });
  });

  it('adds the regression to the other problems, and leaves worse outcomes as they were', () => {
    expect(decideVerdict(facts({ regressions: 2, maxRegressionPct: 12.5, objectivesMissed: 1 })).reason).toBe(
      '1 of 2 objectives missed; recovery time regressed beyond 12.5% on 2 objective(s)',
    );
    expect(decideVerdict(facts({ regressions: 1, maxRegressionPct: 20, abortCause: 'signal' }))).toMatchObject({
      verdict: 'aborted',
      exitCode: 4,
    });
    expect(decideVerdict(facts({}))).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
});
