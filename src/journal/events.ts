import type { PlannedAction, FaultRecord } from '../faults/fault.js';
import type { JournaledDifference } from '../faults/mechanisms/revert-differences.js';
export type { DifferenceAspect } from '../faults/mechanisms/revert-differences.js';
import type { StepAction } from '../playbook/schema.js';
import type { StatusValue } from '../notify/status-update.js';
import type { ReportSettings } from '../playbook/report-settings.js';

/**
 * What a drill says about itself, as facts. The runner emits these; the journal writer and the
 * terminal UI subscribe; reports are computed from the journal alone. Keep data plain JSON and
 * factual (numbers, ids, outcomes); wording belongs to the renderers.
 */

export type Section = 'steps' | 'restore';
export type Phase = 'steady-state-before' | 'steps' | 'rollback' | 'restore' | 'steady-state-after';
export type Verdict = 'passed' | 'failed' | 'aborted' | 'rollback-incomplete';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

export interface StepOutline {
  index: number;
  name: string;
  action: StepAction;
  /** One line for people: "kill every container of region a". */
  describe: string;
  description?: string;
  /** Per-step objective, for wait steps. */
  rtoMs?: number;
}

export interface ContainerSnapshot {
  id: string;
  name: string;
  service: string;
  status: string;
  health: string;
}

/** The project lock a run took, and the stale one it replaced, if any. */
export interface ProjectLockFacts {
  name: string;
  expiresAt: string;
  tookOver?: {
    purpose: string;
    playbook?: string;
    host: string;
    pid: number | null;
    startedAt: string;
    why: 'process-gone' | 'expired';
  };
}

export interface EventMap {
  'drill.started': {
    runId: string;
    firedrillVersion: string;
    playbook: {
      name: string;
      title: string;
      summary: string;
      description?: string;
      nextSteps?: string[];
      /** The playbook's report block, when it has one: what the customer report shows. */
      report?: ReportSettings;
      file: string;
      sha256: string;
    };
    project: string;
    endpoint: string;
    /** firstContactMs: the playbook's objectives.firstContact; absent in older journals. */
    objectives: { rtoMs?: number; firstContactMs?: number };
    timeLimitMs: number;
    rollback: 'always' | 'never';
    steps: StepOutline[];
    restore: StepOutline[];
    steadyState: string[];
    /** SHA-256 of the resolved plan (plan-hash.ts), as `firedrill plan` shows it. Absent in older journals. */
    planHash?: string;
    /** The project's lock this run holds (project-lock.ts). Absent in older journals. */
    lock?: ProjectLockFacts;
  };
  'topology.resolved': {
    services: { name: string; region?: string; containers: ContainerSnapshot[] }[];
    regions: Record<string, string[]>;
    networks: { id: string; name: string }[];
  };
  'phase.started': { phase: Phase };
  /** One steady-state probe, before injecting or after rolling back. */
  'steady.checked': {
    phase: 'before' | 'after';
    probe: string;
    ok: boolean;
    summary: string;
    attempts: number;
  };
  'step.started': { section: Section; index: number; name: string; action: StepAction; describe: string };
  /** Written before the fault is applied: the record is what a revert needs. */
  'fault.injecting': { section: Section; index: number; record: FaultRecord; plan: PlannedAction[] };
  /** The fault is in effect; its event time is the reference point for recovery times. */
  'fault.applied': { ref: string; kind: string; targets: string[]; injectMs: number };
  'fault.inject-failed': { ref: string; kind: string; error: string };
  'probe.sample': {
    section: Section;
    index: number;
    sample: number;
    ok: boolean;
    summary: string;
    latencyMs: number;
    /** Samples in a row that held, this one included. */
    streak: number;
  };
  'wait.finished': {
    section: Section;
    index: number;
    met: boolean;
    samples: number;
    /** The fault recovery is measured from; null when no fault had been applied, or in the restore phase none is left in effect. */
    reference: { ref: string; kind: string } | null;
    /** From the reference fault applied to the first sample of the streak that held. */
    recoveryMs: number | null;
    /** The measurement is exact to within this much: the polling interval, or the wider gap actually observed. */
    resolutionMs: number;
    /** The polling interval the playbook asked for. */
    everyMs: number;
    /** How long the step was willing to wait. */
    timeoutMs: number;
    /**
     * The condition held, but only after the reference fault's maxDuration was up and firedrill
     * had begun reverting it (fault.expired): the system was not seen to recover by itself, so
     * recoveryMs is null. Absent otherwise, and in older journals.
     */
    referenceExpired?: {
      maxDurationMs: number;
      /** From the reference fault applied to the first sample of the streak that held: when it held, not a recovery time. */
      heldAfterMs: number;
    };
  };
  'action.finished': { section: Section; index: number; ok: boolean; summary: string; output?: string };
  'manual.answered': {
    section: Section;
    index: number;
    outcome: 'confirmed' | 'declined' | 'ci-pass' | 'ci-fail' | 'ci-skip' | 'timed-out';
  };
  /**
   * A notify step's customer status update was delivered, or could not be: the event's time is
   * when that was known. Header values are never recorded (they hold tokens).
   */
  'notify.sent': {
    section: Section;
    index: number;
    status: StatusValue;
    /** What customers were told (customer-facing, so no secret). */
    message: string;
    channel: 'webhook' | 'file';
    /** The webhook as scheme://host[:port] and a fingerprint of its path and query (never the path: tokens live there); or the file's path as the playbook gave it. */
    target: string;
    ok: boolean;
    /** The last HTTP status the webhook answered; absent when none answered, and for a file. */
    httpStatus?: number;
    /** Why it was not delivered. */
    error?: string;
    /** From handing the update to the channel to the outcome, retries included. */
    latencyMs: number;
    /** Requests made (webhook) or writes tried (file). */
    attempts: number;
  };
  'step.finished': {
    section: Section;
    index: number;
    status: StepStatus;
    durationMs: number;
    error?: string;
  };
  'objective.evaluated': {
    scope: 'drill' | 'step';
    /** Step index for a step objective. */
    index?: number;
    name: string;
    targetMs: number;
    measuredMs: number | null;
    resolutionMs: number | null;
    met: boolean;
    /** Why there is no measurement, when there is none. */
    note?: string;
  };
  'drill.aborting': {
    cause: 'signal' | 'time-limit' | 'steady-state' | 'step-failed' | 'stop-condition';
    reason: string;
  };
  /**
   * A fault was in effect for its maxDuration: it is reverted now (a fault.reverted follows),
   * while the steps go on. An unverified revert stays pending for the final rollback.
   */
  'fault.expired': { ref: string; kind: string; maxDurationMs: number; appliedForMs: number };
  /** A stop condition is watched from now on, until the rollback begins. */
  'stop-condition.watching': {
    name: string;
    /** The probe, described. */
    probe: string;
    everyMs: number;
    from: 'first-fault' | 'start';
    /** Failing without a break for this long breaches; null when only an error rate is judged. */
    tolerateMs: number | null;
    /** More than this share of the samples in the last windowMs failing breaches; null when not judged. */
    maxErrorRate: number | null;
    windowMs: number | null;
  };
  /**
   * A stop condition's probe went from holding to failing or back; its first sample counts as
   * a change. The samples in between are counted (stop-condition.ended), not journaled.
   */
  'stop-condition.changed': { name: string; ok: boolean; summary: string; sample: number; latencyMs: number };
  /** A stop condition breached: the drill aborts (drill.aborting, cause stop-condition) and rolls back. */
  'stop-condition.breached': {
    name: string;
    rule: 'tolerate' | 'error-rate';
    /** One line for people, also the abort's reason. */
    reason: string;
    /** What the breaching sample saw. */
    summary: string;
    /** When the breaching sample began, on the clock of the journal's monoNs. */
    sampledNs: number;
    /** When the first failing sample the rule counted began (same clock). */
    firstFailureNs: number;
    /** The samples the rule judged (the failing run, or the window) and how many of them failed. */
    samples: number;
    failed: number;
    tolerateMs: number | null;
    maxErrorRate: number | null;
    windowMs: number | null;
  };
  /** Watching stopped (the rollback begins, or the drill is aborting): the condition's tally. */
  'stop-condition.ended': { name: string; samples: number; failed: number; breached: boolean };
  'fault.reverted': {
    ref: string;
    kind: string;
    revertible: boolean;
    verified: boolean;
    done: string[];
    problems: string[];
    manual: string[];
    /**
     * What the revert could not give back as it was, observed after it, as facts; absent when
     * nothing differs (and in older journals). Journals from before the facts hold sentences.
     */
    differences?: JournaledDifference[];
  };
  /** Faults left applied on purpose (rollback: never) or after a failed revert. */
  'faults.remaining': { refs: string[]; reason: string };
  /**
   * `run --max-regression`: the objectives just evaluated, compared with the same objectives of
   * the baseline (the last run of the playbook on the project that passed). Written after the
   * objective.evaluated events and before the verdict; any regression fails the drill.
   */
  'regression.checked': RegressionCheckFacts;
  /** `firedrill recover` found faults a run left applied (written to its own recovery journal). */
  'recovery.started': {
    runId: string;
    /** Empty when the run's journal cannot say which project it was against. */
    project: string;
    endpoint: string;
    pending: string[];
    /** The project lock the recovery holds; absent when the project had no container left to lock on. */
    lock?: ProjectLockFacts;
    /**
     * What of the run's journals could not be read (line null: the whole file): a fault recorded
     * there may still be applied, so the recovery cannot be complete. Absent when all was read.
     */
    unreadable?: { file: string; line: number | null; problem: string }[];
  };
  /** exitCode 5 (rollback incomplete) when a fault is unverified or the run's journals could not be read whole. */
  'recovery.finished': { verified: string[]; unverified: string[]; exitCode: number };
  'drill.finished': {
    verdict: Verdict;
    exitCode: number;
    durationMs: number;
    /** One line for people, e.g. "2 of 2 objectives met". */
    reason: string;
  };
}

/** What the regression gate found; with no baseline it compares nothing and passes. */
export type RegressionCheckFacts =
  | { baselineRunId: string; maxRegressionPct: number; objectives: RegressionObjectiveFacts[]; regressed: number }
  | { baselineRunId: null; maxRegressionPct: number; reason: string; regressed: 0 };

export interface RegressionObjectiveFacts {
  name: string;
  scope: 'drill' | 'step';
  /** Step index for a step objective. */
  index?: number;
  /** The baseline's measurement; null when the baseline has no such objective or did not measure it. */
  baselineMs: number | null;
  /** This run's measurement; null when it was not measured. */
  measuredMs: number | null;
  /** measuredMs − baselineMs (positive: slower); null unless both were measured. */
  changeMs: number | null;
  /** The change in percent of the baseline; null unless both were measured (and the baseline is above 0). */
  changePct: number | null;
  /** The two measurements' resolutions added: how wide the range of the true change is. */
  combinedResolutionMs: number | null;
  /**
   * The least the true change can be: changeMs less this run's resolution (a polled measurement
   * is late, never early). The gate compares this with the limit. Null unless both were
   * measured; absent in journals written before it was recorded.
   */
  lowerBoundChangeMs?: number | null;
  outcome: RegressionOutcome;
  regressed: boolean;
}

/**
 * regressed: slower even at the lower bound, by more than the limit; within-limit: slower even at
 * the lower bound, but not by more than the limit; within-resolution: the resolutions could
 * account for the change; faster: faster even at the upper bound; the rest: not compared.
 */
export type RegressionOutcome =
  | 'regressed'
  | 'within-limit'
  | 'within-resolution'
  | 'faster'
  | 'not-in-baseline'
  | 'baseline-not-measured'
  | 'not-measured';

export type EventType = keyof EventMap;

export interface DrillEvent<T extends EventType = EventType> {
  type: T;
  data: EventMap[T];
  /** Monotonic time, nanoseconds since the drill's clock origin. */
  monoNs: bigint;
  /** Wall-clock time (UTC), for people. */
  time: Date;
}

export type AnyDrillEvent = { [T in EventType]: DrillEvent<T> }[EventType];

export type EventListener = (event: AnyDrillEvent) => void;
