import type { Engine } from '../engine/ports.js';
import type { FaultRecord } from '../faults/fault.js';
import type { DeliverStatusUpdate } from '../notify/status-update.js';
import type { Playbook } from '../playbook/schema.js';
import type { Topology } from '../topology/topology.js';
import type { Clock } from '../clock.js';
import type { EventBus } from './event-bus.js';
import type { Section } from '../journal/events.js';
import type { RollbackLedger } from './rollback-ledger.js';

/** A person who can answer a manual step. Absent in CI and without a terminal. */
export interface Prompter {
  confirm(question: string, opts: { timeoutMs: number; signal: AbortSignal }): Promise<'confirmed' | 'declined' | 'timed-out'>;
}

/** A fault that has taken effect: the reference point for recovery times. */
export interface AppliedReference {
  readonly ref: string;
  readonly kind: string;
  /** monoNs of its fault.applied event. */
  readonly appliedNs: bigint;
  /**
   * Set when its maxDuration was up (monoNs of its fault.expired event): from then on what a
   * probe sees may be firedrill's own revert, not the system recovering by itself.
   */
  readonly expired?: { atNs: bigint; maxDurationMs: number };
  /** monoNs of its fault.reverted event, once firedrill reverted it (a step, its maxDuration or the rollback). */
  readonly revertedNs?: bigint;
}

/** The facts a step may read, folded from the bus by DrillFacts. */
export interface DrillFactsView {
  /**
   * Faults applied, in the order they were applied (fault.applied), each marked once its maxDuration
   * was up (fault.expired) and once it was reverted (fault.reverted).
   */
  readonly applied: readonly AppliedReference[];
  /**
   * monoNs of the first customer status update delivered (notify.sent, ok) once a fault was in
   * effect: time to first contact ends there. An update sent before any fault is no contact about it.
   */
  readonly firstContactNs: bigint | undefined;
}

/** What every step executor may use. One per drill; steps share it. */
export interface DrillContext {
  playbook: Playbook;
  engine: Engine;
  clock: Clock;
  bus: EventBus;
  topology: Topology;
  ledger: RollbackLedger;
  /** Fault records planned at the start, keyed by step index (section "steps"). */
  plannedFaults: Map<number, FaultRecord>;
  /** What the drill's events have told so far (drill-facts.ts): steps read it, and emit events rather than write it. */
  facts: DrillFactsView;
  /** The run's id, as drill.started records it: customer status updates carry it. */
  runId: string;
  /** The run's directory, where a notify step's relative file goes; absent when the caller keeps none. */
  runDir?: string;
  /** How notify steps deliver: the real channels (notify/deliver.ts) unless a test gives its own. */
  deliverStatusUpdate?: DeliverStatusUpdate;
  prompter?: Prompter;
}

export interface StepPosition {
  section: Section;
  index: number;
}

/** What a step executor reports back; details are already in the journal as events. */
export interface StepOutcome {
  ok: boolean;
  /** Set when the step did not pass: shown in step.finished. */
  error?: string;
  /** A manual step skipped in CI. */
  skipped?: boolean;
  /** What a wait step measured. */
  measurement?: WaitMeasurement;
}

export interface WaitMeasurement {
  met: boolean;
  recoveryMs: number | null;
  resolutionMs: number;
  /** monoNs of the first sample of the streak that held. */
  recoveredAtNs?: bigint;
  /**
   * The condition held, but only once the reference fault's maxDuration was up and firedrill
   * had begun reverting it: no recovery time (recoveryMs is null), and the objective is missed.
   */
  referenceExpired?: { ref: string; maxDurationMs: number; heldAfterMs: number };
}
