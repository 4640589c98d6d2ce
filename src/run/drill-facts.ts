import { notExact } from '../faults/mechanisms/revert-differences.js';
import type { AnyDrillEvent, EventListener } from '../journal/events.js';
import type { AbortCause } from './abort.js';
import type { AppliedReference, DrillFactsView } from './drill-context.js';
import type { RunFacts } from './verdict.js';

/**
 * What the runner knows about a drill, folded from the events on the bus and nowhere else: the
 * steps emit facts and never write these. So the verdict is decided on exactly what the journal
 * holds, and a new step kind changes it only through the events it emits. Subscribe before the
 * drill's first event (the runner does, before drill.started).
 */
export class DrillFacts implements DrillFactsView {
  /** The references handed out, marked here alone when their fault expires. */
  private readonly appliedFaults: { -readonly [K in keyof AppliedReference]: AppliedReference[K] }[] = [];
  private contactNs: bigint | undefined;
  private abortCause: AbortCause | undefined;
  private stoppedBy: string | undefined;
  private stepFailed = false;
  private objectivesMissed = 0;
  private objectivesTotal = 0;
  private restoreFailed = false;
  private steadyStateAfterFailed = false;
  private faultsRemaining = 0;
  private readonly notGivenBack: string[] = [];
  private regressions = 0;
  private maxRegressionPct: number | undefined;

  constructor(bus: { subscribe(listener: EventListener): void }) {
    bus.subscribe((event) => this.fold(event));
  }

  get applied(): readonly AppliedReference[] {
    return this.appliedFaults;
  }

  get firstContactNs(): bigint | undefined {
    return this.contactNs;
  }

  /** The facts the verdict is decided on (verdict.ts), as the events so far tell them. */
  runFacts(): RunFacts {
    return {
      ...(this.abortCause !== undefined ? { abortCause: this.abortCause } : {}),
      ...(this.stoppedBy !== undefined ? { stoppedBy: this.stoppedBy } : {}),
      stepFailed: this.stepFailed,
      objectivesMissed: this.objectivesMissed,
      objectivesTotal: this.objectivesTotal,
      restoreFailed: this.restoreFailed,
      steadyStateAfterFailed: this.steadyStateAfterFailed,
      faultsRemaining: this.faultsRemaining,
      notGivenBack: [...this.notGivenBack],
      regressions: this.regressions,
      ...(this.maxRegressionPct !== undefined ? { maxRegressionPct: this.maxRegressionPct } : {}),
    };
  }

  private fold(event: AnyDrillEvent): void {
    switch (event.type) {
      case 'fault.applied':
        this.appliedFaults.push({ ref: event.data.ref, kind: event.data.kind, appliedNs: event.monoNs });
        return;
      case 'fault.expired': {
        // From here on what a probe sees may be firedrill's own revert, not the system recovering by itself.
        const applied = this.appliedFaults.find((reference) => reference.ref === event.data.ref);
        if (applied) applied.expired = { atNs: event.monoNs, maxDurationMs: event.data.maxDurationMs };
        return;
      }
      case 'notify.sent':
        // Journal order decides, not the clock: an update sent before the first fault is not a contact about it.
        if (event.data.ok && this.appliedFaults.length > 0) this.contactNs ??= event.monoNs;
        return;
      case 'objective.evaluated':
        this.objectivesTotal += 1;
        if (!event.data.met) this.objectivesMissed += 1;
        return;
      case 'regression.checked':
        this.regressions = event.data.regressed;
        this.maxRegressionPct = event.data.maxRegressionPct;
        return;
      case 'stop-condition.breached':
        // The first breach aborts the drill; the watch ends every other loop, so there is one.
        this.stoppedBy ??= event.data.name;
        return;
      case 'drill.aborting':
        // A failed step ends the drill as a failure, not an abort: it is told apart from the causes that abort.
        if (event.data.cause === 'step-failed') this.stepFailed = true;
        else this.abortCause ??= event.data.cause;
        return;
      case 'step.finished':
        // A restore step that failed, or that never ran because the restore's deadline passed first.
        if (event.data.section === 'restore' && (event.data.status === 'failed' || event.data.status === 'not-run'))
          this.restoreFailed = true;
        return;
      case 'steady.checked':
        if (event.data.phase === 'after' && !event.data.ok) this.steadyStateAfterFailed = true;
        return;
      case 'fault.reverted': {
        // A restore-phase wait claims no recovery from a fault reverted by then (wait-step.ts).
        const applied = this.appliedFaults.find((reference) => reference.ref === event.data.ref);
        if (applied) applied.revertedNs ??= event.monoNs;
        // Verified, but what other containers observe is not as it was found.
        if (event.data.verified && notExact(event.data.differences).length > 0) this.notGivenBack.push(event.data.ref);
        return;
      }
      case 'faults.remaining':
        this.faultsRemaining += event.data.refs.length;
        return;
      default:
        return;
    }
  }
}
