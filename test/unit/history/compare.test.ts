import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { compareRuns } from '../../../src/history/compare.js';
import { renderComparison } from '../../../src/history/compare-text.js';
import { drillModel, objective } from './support/models.js';

const overall = (measuredMs: number | null, resolutionMs: number | null = 250) =>
  objective({ scope: 'drill', name: 'overall recovery time', targetMs: 10_000, measuredMs, resolutionMs });
const step = (name: string, index: number, measuredMs: number | null, resolutionMs: number | null = 250) =>
  objective({ scope: 'step', index, name, measuredMs, resolutionMs });

describe('compareRuns', () => {
  it('calls a change the resolutions cannot account for worse or better, with the change in ms and percent', () => {
    const base = drillModel('a', [overall(3000), step('app serves again', 1, 2000)]);
    const current = drillModel('b', [overall(4000), step('app serves again', 1, 1000)], 'failed');
    const { objectives, verdictChanged } = compareRuns(base, current);
    expect(verdictChanged).toBe(true);
    expect(objectives[0]).toMatchObject({
      scope: 'drill',
      status: 'worse',
      changeMs: 1000,
      combinedResolutionMs: 500,
      lowerBoundChangeMs: 750,
      upperBoundChangeMs: 1250,
    });
    expect(objectives[0]!.changePct).toBeCloseTo(33.333, 3);
    expect(objectives[1]).toMatchObject({ scope: 'step', name: 'app serves again', status: 'better', changeMs: -1000, changePct: -50 });
  });

  it("calls a change \"within resolution\" when the late side's resolution could account for it: slower by this run's, faster by the baseline's", () => {
    const base = drillModel('a', [overall(3000, 1000), step('s', 1, 3000, 100)]);
    const current = drillModel('b', [overall(3250, 250), step('s', 1, 2900, 1000)]);
    expect(compareRuns(base, current).objectives.map((o) => o.status)).toEqual(['within-resolution', 'within-resolution']);
    // One millisecond beyond is a change: the baseline's 1s resolution does not hide a slowdown,
    // nor this run's 1s a speed-up, since a measurement is only ever late.
    expect(compareRuns(base, drillModel('c', [overall(3251, 250), step('s', 1, 2899, 1000)])).objectives.map((o) => o.status)).toEqual([
      'worse',
      'better',
    ]);
    // With 250ms on both sides, 400ms slower is a change (adding the two would have called it none).
    expect(compareRuns(drillModel('a', [overall(1000)]), drillModel('b', [overall(1400)])).objectives[0]).toMatchObject({
      status: 'worse',
      lowerBoundChangeMs: 150,
    });
  });

  it('takes a missing resolution as 0: the measurement claims to be exact', () => {
    const { objectives } = compareRuns(drillModel('a', [overall(3000, null)]), drillModel('b', [overall(3001, null)]));
    expect(objectives[0]).toMatchObject({ status: 'worse', combinedResolutionMs: 0, changeMs: 1 });
  });

  it('matches a step objective by its name when the step moved, and a renamed step as gone and new', () => {
    const base = drillModel('a', [step('shop answers', 1, 2000), step('sessions survive', 2, 1000)]);
    const current = drillModel('b', [step('shop answers', 2, 2100), step('sessions are kept', 3, 900)]);
    const byName = Object.fromEntries(compareRuns(base, current).objectives.map((o) => [o.name, [o.status, o.index]]));
    expect(byName).toEqual({
      'shop answers': ['within-resolution', 2],
      'sessions are kept': ['new', 3],
      'sessions survive': ['gone', 2],
    });
  });

  it('does not compare what either run did not measure', () => {
    const { objectives } = compareRuns(drillModel('a', [overall(3000)]), drillModel('b', [overall(null)], 'failed'));
    expect(objectives[0]).toMatchObject({
      status: 'not-measured',
      changeMs: null,
      changePct: null,
      current: { measuredMs: null, met: false },
    });
  });
});

describe('renderComparison', () => {
  const plain = paintFor(false);

  it('says what got slower or faster in words, rounding against flattery, with both resolutions', () => {
    const base = drillModel('a', [overall(3000), step('app serves again', 1, 2000)]);
    const current = drillModel('b', [overall(4000.2), step('app serves again', 1, 1000.4)], 'failed');
    const text = renderComparison(compareRuns(base, current), plain);
    expect(text).toContain('verdict: Passed → Failed');
    // Slower by 1000.2ms is written rounded up; faster by 999.6ms rounded down.
    expect(text).toContain(
      'slower  overall recovery time: 3.000s → 4.001s, +1.001s slower (+33.4%) (resolutions ±250ms and ±250ms); target 10s, met',
    );
    expect(text).toContain('faster  “app serves again”: 2.000s → 1.001s, 0.999s faster (-49.9%)');
    expect(text).toContain('in all: 1 slower, 1 faster');
  });

  it('says when a change is within what the two measurements allow, and what is new, gone or unmeasured', () => {
    const base = drillModel('a', [overall(3000), step('old step', 1, 1000)]);
    const current = drillModel('b', [overall(3200), step('new step', 1, null)]);
    const text = renderComparison(compareRuns(base, current), plain);
    expect(text).toContain(
      'no change beyond the resolution  overall recovery time: 3.000s → 3.200s, +0.200s (+6.7%), which the polling could account for: the true change lies between -0.050s and +0.450s (resolutions ±250ms and ±250ms)',
    );
    expect(text).toContain('new  “new step”: not measured (target 5s) in this run; the baseline has no such objective');
    expect(text).toContain('gone  “old step”: 1.000s (target 5s, met) in the baseline; this run has no such objective');
    expect(text).toContain('verdict: Passed in both');
  });
});

describe('compareRuns with several drill-wide objectives', () => {
  it('matches drill-wide objectives by name', () => {
    const contact = (measuredMs: number) => objective({ scope: 'drill', name: 'time to first contact', targetMs: 60_000, measuredMs });
    const { objectives } = compareRuns(
      drillModel('a', [overall(3000), contact(20_000)]),
      drillModel('b', [contact(30_000), overall(3000)]),
    );
    expect(objectives.map((o) => [o.name, o.status, o.changeMs])).toEqual([
      ['time to first contact', 'worse', 10_000],
      ['overall recovery time', 'within-resolution', 0],
    ]);
  });
});
