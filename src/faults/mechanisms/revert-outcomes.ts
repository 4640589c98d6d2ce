import type { RevertResult } from '../fault.js';

/** One result for a fault from its targets' results: verified only when every target is. */
export function mergeOutcomes(outcomes: RevertResult[]): RevertResult {
  const problems = outcomes.flatMap((outcome) => outcome.problems);
  const differences = outcomes.flatMap((outcome) => outcome.differences ?? []);
  return {
    verified: problems.length === 0 && outcomes.every((outcome) => outcome.verified),
    done: outcomes.flatMap((outcome) => outcome.done),
    problems,
    manual: outcomes.flatMap((outcome) => outcome.manual),
    ...(differences.length > 0 ? { differences } : {}),
  };
}
