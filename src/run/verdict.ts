import { ExitCode } from '../exit-codes.js';
import type { AbortCause } from './abort.js';
import type { Verdict } from '../journal/events.js';

export interface RunFacts {
  abortCause?: AbortCause;
  /** The stop condition that breached, when one aborted the drill. */
  stoppedBy?: string | undefined;
  stepFailed: boolean;
  objectivesMissed: number;
  objectivesTotal: number;
  restoreFailed: boolean;
  steadyStateAfterFailed: boolean;
  /** Faults still applied or whose revert was not verified. */
  faultsRemaining: number;
  /**
   * Faults reverted and verified, but not exactly: what other containers observe (an address, a
   * MAC address, an address configuration) is not as it was found. Absent: none.
   */
  notGivenBack?: string[];
  /** Objectives the regression gate (`--max-regression`) found slower than the baseline beyond its limit. */
  regressions: number;
  /** The gate's limit in percent, for the reason; absent when no gate ran. */
  maxRegressionPct?: number;
}

/** The verdict, exit code and one-line reason. Worst outcome wins; pure. */
export function decideVerdict(facts: RunFacts): { verdict: Verdict; exitCode: number; reason: string } {
  if (facts.faultsRemaining > 0) {
    return {
      verdict: 'rollback-incomplete',
      exitCode: ExitCode.RollbackIncomplete,
      reason: `${facts.faultsRemaining} fault(s) may still be applied`,
    };
  }
  if (facts.abortCause && facts.abortCause !== 'step-failed') {
    const cause =
      facts.abortCause === 'stop-condition' && facts.stoppedBy !== undefined
        ? `stop condition "${facts.stoppedBy}" breached`
        : facts.abortCause;
    return { verdict: 'aborted', exitCode: ExitCode.Aborted, reason: `aborted (${cause})` };
  }
  const problems: string[] = [];
  if (facts.objectivesMissed > 0) problems.push(`${facts.objectivesMissed} of ${facts.objectivesTotal} objectives missed`);
  if (facts.regressions > 0)
    problems.push(`recovery time regressed beyond ${facts.maxRegressionPct ?? 0}% on ${facts.regressions} objective(s)`);
  if (facts.stepFailed) problems.push('a step failed');
  if (facts.restoreFailed) problems.push('a restore step failed');
  if (facts.steadyStateAfterFailed) problems.push('steady state did not return');
  const notGivenBack = facts.notGivenBack ?? [];
  if (notGivenBack.length > 0) {
    const faults = notGivenBack.map((ref) => `"${ref}"`).join(', ');
    problems.push(`the topology was not given back as found (the revert of fault${notGivenBack.length === 1 ? '' : 's'} ${faults})`);
  }
  if (problems.length > 0) return { verdict: 'failed', exitCode: ExitCode.ObjectiveMissed, reason: problems.join('; ') };
  const met = facts.objectivesTotal === 0 ? 'no objectives set' : `${facts.objectivesTotal} of ${facts.objectivesTotal} objectives met`;
  return { verdict: 'passed', exitCode: ExitCode.Passed, reason: met };
}
