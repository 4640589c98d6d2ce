import type { PlannedAction } from '../faults/fault.js';
import type { JournaledDifference } from '../faults/mechanisms/revert-differences.js';
import type { EventMap, Section, StepStatus, Verdict } from '../journal/events.js';
import type { StepAction } from '../playbook/schema.js';
import type { SampleSeries } from './sample-series.js';

/**
 * One drill, folded from its journal into plain data: what every report renders.
 * Times named `...AtMs` are milliseconds since the drill started (its first journal entry),
 * on the monotonic clock; durations are in milliseconds. Values are as measured, unrounded:
 * rounding for display is the renderers' job, and they round against flattery.
 */
export interface DrillModel {
  runId: string | null;
  firedrillVersion: string | null;
  playbook: EventMap['drill.started']['playbook'] | null;
  /** The resolved plan's hash, as `firedrill plan` showed it; null in journals from before it was recorded. */
  planHash: string | null;
  project: string | null;
  endpoint: string | null;
  /** "incomplete" when the journal has no drill.finished: the run crashed or was killed. */
  verdict: Verdict | 'incomplete';
  exitCode: number | null;
  /** The runner's one-line reason from drill.finished. */
  reason: string | null;
  finished: boolean;
  /** Wall-clock ISO times of the first and last journal entries. */
  startedAt: string | null;
  endedAt: string | null;
  /** From drill.finished; for an incomplete journal, up to its last entry. */
  durationMs: number;
  timeLimitMs: number | null;
  rollbackPolicy: 'always' | 'never' | null;
  topology: TopologyModel | null;
  objectives: ObjectiveModel[];
  steps: StepModel[];
  restore: StepModel[];
  faults: FaultModel[];
  steadyState: { before: SteadyCheckModel[]; after: SteadyCheckModel[] };
  abort: AbortModel | null;
  /** The stop conditions watched, in the order watching began. */
  stopConditions: StopConditionModel[];
  remainingFaults: { refs: string[]; reason: string; atMs: number } | null;
  /** Customer status updates (notify steps), in the order each was delivered or given up on. */
  notifications: NotificationModel[];
  /**
   * Time to first contact: from the first fault applied to the first status update delivered
   * after it (atMs: when it was delivered). null when there is none; firstContactNote (markdown-contact.ts) says why.
   */
  firstContact: { afterMs: number; fromFaultRef: string; atMs: number } | null;
  /** What the regression gate (`run --max-regression`) found, as journaled; null when no gate ran. */
  regression: RegressionModel | null;
  /** The significant events in journal order, without probe samples (steps summarise those). */
  timeline: TimelineItem[];
  journal: { entries: number; lastSeq: number | null };
}

export type RegressionModel = EventMap['regression.checked'];

export interface TopologyModel {
  services: { name: string; region: string | null; containers: string[] }[];
  regions: Record<string, string[]>;
  /** Every container as it was found before the drill (for the engineering appendix). */
  containers: { service: string; name: string; id: string; status: string; health: string }[];
  networks: { id: string; name: string }[];
}

export interface ObjectiveModel {
  scope: 'drill' | 'step';
  /** Step index (0-based) for a step objective. */
  index: number | null;
  stepName: string | null;
  name: string;
  targetMs: number;
  measuredMs: number | null;
  resolutionMs: number | null;
  /** null when the objective was declared but never evaluated (the journal ends first). */
  met: boolean | null;
  /** How far a missed objective's measurement went past its target; null otherwise. */
  missedByMs: number | null;
  evaluated: boolean;
  /** Why there is no measurement, when there is none. */
  note: string | null;
}

/** passed/failed/skipped/not-run as the runner said; "interrupted" when started and never finished. */
export type StepModelStatus = StepStatus | 'interrupted';

export interface StepModel {
  section: Section;
  index: number;
  name: string;
  action: StepAction;
  describe: string;
  description: string | null;
  rtoMs: number | null;
  status: StepModelStatus;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  durationMs: number | null;
  error: string | null;
  wait: WaitModel | null;
  run: { ok: boolean; summary: string; output: string | null } | null;
  manual: EventMap['manual.answered']['outcome'] | null;
  /** The fault an inject step put in place. */
  faultRef: string | null;
}

export interface WaitModel {
  /** Samples the journal holds for this step. */
  samples: number;
  met: boolean | null;
  reference: { ref: string; kind: string } | null;
  recoveryMs: number | null;
  resolutionMs: number | null;
  /** The polling interval, when the journal records it. */
  everyMs: number | null;
  /** The first good sample: when it was taken (its start, not when its answer came). */
  firstOk: { atMs: number; sample: number } | null;
  /** When the streak of good samples that met the condition began. */
  heldFromAtMs: number | null;
  /** The condition held only after the reference fault's maxDuration was up and it was reverted: no recovery time. */
  referenceExpired: { maxDurationMs: number } | null;
  /** Sample times are when each observation began. */
  /** atMs: when the first failing sample began; answeredAtMs: when its failure was known (detection). */
  firstFailure: { summary: string; atMs: number; answeredAtMs: number; sample: number } | null;
  lastFailure: { summary: string; atMs: number; sample: number } | null;
  lastSample: { ok: boolean; summary: string; atMs: number } | null;
  /** Every sample, in bounded memory: merged pairwise as the step runs long (sample-series.ts). */
  series: SampleSeries;
}

export type FaultState = 'injecting' | 'applied' | 'inject-failed';

export interface FaultModel {
  ref: string;
  kind: string;
  section: Section;
  /** Index of the step that injected it. */
  index: number;
  /** The injecting step's one-line description. */
  describe: string | null;
  revertible: boolean;
  targets: { name: string; service: string; containerId: string }[];
  plan: PlannedAction[];
  /** "injecting": recorded but no outcome followed (the run stopped while applying it). */
  state: FaultState;
  injectingAtMs: number;
  appliedAtMs: number | null;
  injectMs: number | null;
  injectError: string | null;
  /** Set when the fault was reverted because its maxDuration was up, while the steps went on. */
  expiry: { atMs: number; maxDurationMs: number; appliedForMs: number } | null;
  revert: RevertModel | null;
}

export interface RevertModel {
  atMs: number;
  verified: boolean;
  done: string[];
  problems: string[];
  manual: string[];
  /**
   * What the revert could not give back as it was: the fault is undone, the containers are not
   * quite as before. Facts, or sentences from older journals (faults/revert-differences.ts words both).
   */
  differences: JournaledDifference[];
}

export interface SteadyCheckModel {
  probe: string;
  ok: boolean;
  summary: string;
  attempts: number;
  atMs: number;
}

/** A stop condition as it was watched (name, probe, interval, rule: the journal's facts), and what came of it. */
export interface StopConditionModel extends Readonly<EventMap['stop-condition.watching']> {
  watchedFromAtMs: number;
  /** When watching ended; null when the journal ends first. */
  endedAtMs: number | null;
  /** Samples taken and how many failed, from the tally at the end; null when the journal ends first. */
  samples: number | null;
  failed: number | null;
  /** Each change between holding and failing (the first sample counts), at the start of the sample that saw it. */
  changes: { atMs: number; answeredAtMs: number; ok: boolean; summary: string }[];
  breach: StopConditionBreachModel | null;
}

export interface StopConditionBreachModel {
  /** When the breach was recorded: the breaching sample had answered. */
  atMs: number;
  rule: 'tolerate' | 'error-rate';
  reason: string;
  /** What the breaching sample saw. */
  summary: string;
  /** When the breaching sample began. */
  sampledAtMs: number;
  /** When the first failing sample the rule counted began. */
  firstFailureAtMs: number;
  samples: number;
  failed: number;
  /** The fault applied most recently before the breach, and how long after it the breach came. */
  fault: { ref: string; appliedAtMs: number; sinceAppliedMs: number } | null;
}

/** One customer status update, as journaled (notify.sent); atMs is when it was delivered or given up on. */
export interface NotificationModel extends Readonly<Omit<EventMap['notify.sent'], 'httpStatus' | 'error'>> {
  atMs: number;
  httpStatus: number | null;
  error: string | null;
}

export interface AbortModel {
  cause: EventMap['drill.aborting']['cause'];
  reason: string;
  atMs: number;
}

/** Events a timeline shows, with their data as journaled. */
export type TimelineEventType = Exclude<keyof EventMap, 'probe.sample' | 'objective.evaluated'>;

export type TimelineItem = { [T in TimelineEventType]: { atMs: number; type: T; data: EventMap[T] } }[TimelineEventType];
