import { describe, expect, it } from 'vitest';
import { BreachJudge, breachRules, type Breach } from '../../../src/plan/breach-rules.js';

const MS = 1_000_000n;

/** Feeds samples taken every `everyMs` from 0 (true: held) and returns the first breach with its sample index. */
function firstBreach(judge: BreachJudge, samples: boolean[], everyMs: number): { at: number; breach: Breach } | undefined {
  for (const [at, ok] of samples.entries()) {
    const breach = judge.judge({ startedNs: BigInt(at * everyMs) * MS, ok });
    if (breach) return { at, breach };
  }
  return undefined;
}

const pattern = (text: string) => [...text].map((c) => c === '.');

describe('breachRules', () => {
  it('tolerates no failure when neither rule is given', () => {
    expect(breachRules({})).toEqual({ tolerateMs: 0, maxErrorRate: null, windowMs: null });
  });

  it('judges only the error rate when it is given alone, and both when both are', () => {
    expect(breachRules({ maxErrorRate: 0.2, window: 10_000 })).toEqual({ tolerateMs: null, maxErrorRate: 0.2, windowMs: 10_000 });
    expect(breachRules({ tolerate: 3000, maxErrorRate: 0.2, window: 10_000 })).toEqual({
      tolerateMs: 3000,
      maxErrorRate: 0.2,
      windowMs: 10_000,
    });
  });
});

describe('BreachJudge, failing without a break', () => {
  it('breaches on the first failed sample when nothing is tolerated', () => {
    const found = firstBreach(new BreachJudge(breachRules({})), pattern('..x'), 500);
    expect(found?.at).toBe(2);
    expect(found?.breach).toMatchObject({ rule: 'tolerate', firstFailureNs: 1000n * MS, samples: 1, failed: 1 });
    expect(found?.breach.reason).toBe('the probe failed, and no failure is tolerated');
  });

  it('breaches once the failures have lasted `tolerate`, counted from the first failing sample', () => {
    // Failing from 1.5s; at 3.5s it has failed for 2s without a break.
    const found = firstBreach(new BreachJudge(breachRules({ tolerate: 2000 })), pattern('...xxxxxxx'), 500);
    expect(found?.at).toBe(7);
    expect(found?.breach).toMatchObject({ sampledNs: 3500n * MS, firstFailureNs: 1500n * MS, samples: 5, failed: 5 });
    expect(found?.breach.reason).toBe('failing for 2.000s without a break (tolerates 2s)');
  });

  it('starts over after one good sample: blips shorter than `tolerate` never breach', () => {
    expect(firstBreach(new BreachJudge(breachRules({ tolerate: 2000 })), pattern('.xxxx.xxxx.xxxx.'), 500)).toBeUndefined();
  });
});

describe('BreachJudge, error rate over a window', () => {
  const rules = breachRules({ maxErrorRate: 0.2, window: 5000 });

  it('does not judge before the samples span a whole window: one early failure is not a 100% rate', () => {
    expect(firstBreach(new BreachJudge(rules), pattern('xx........'), 500)).toBeUndefined();
  });

  it('breaches when more than the rate failed among the samples of the last window', () => {
    // Every third sample fails from 0: at 5s the window (0s, 5s] holds 10 samples, 3 failed.
    const found = firstBreach(new BreachJudge(rules), pattern('x..x..x..x..x..'), 500);
    expect(found?.at).toBe(10);
    expect(found?.breach).toMatchObject({ rule: 'error-rate', samples: 10, failed: 3, firstFailureNs: 1500n * MS });
    expect(found?.breach.reason).toBe('3 of 10 samples (30%) failed in the last 5s (tolerates 20%)');
  });

  it('holds at exactly the rate, and lets old failures slide out of the window', () => {
    // 2 of every 10 fail (20%, not more): never breaches, however long it runs.
    expect(firstBreach(new BreachJudge(rules), pattern('x....x....'.repeat(6)), 500)).toBeUndefined();
    // A burst early on has left the window by the time it has filled.
    expect(firstBreach(new BreachJudge(rules), pattern(`.xxxx${'.'.repeat(30)}`), 250)).toBeUndefined();
  });

  it('rounds an observed rate up, never down', () => {
    // At 1.2s the window (0s, 1.2s] holds 3 samples, 1 failed: 33.33…%, shown as 33.4%.
    const judge = new BreachJudge(breachRules({ maxErrorRate: 0.3, window: 1200 }));
    const found = firstBreach(judge, pattern('.x..'), 400);
    expect(found?.breach.reason).toBe('1 of 3 samples (33.4%) failed in the last 1.2s (tolerates 30%)');
  });
});
