/**
 * Process exit codes. Documented in the README and stable: scripts and CI depend on them.
 * Never renumber; add new codes at unused numbers.
 */
export const ExitCode = {
  /** The drill ran and every objective was met. */
  Passed: 0,
  /** The drill completed but an objective was missed or a step failed. */
  ObjectiveMissed: 1,
  /** The playbook or command line is wrong, or the plan is out of scope or not the approved one. Nothing was touched. */
  Usage: 2,
  /** The environment is not usable (Docker unreachable, project missing, kernel feature missing) or the project is busy. */
  Environment: 3,
  /** The drill was aborted (steady state, stop condition, signal, time limit) and rolled back, or not confirmed. */
  Aborted: 4,
  /** Rollback could not be completed or verified: faults may remain. */
  RollbackIncomplete: 5,
  /** A defect in firedrill itself. */
  Internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
