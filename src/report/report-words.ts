import type { DrillModel, FaultModel, ObjectiveModel, RevertModel, StepModel } from './model-types.js';
import { formatMeasured, formatTarget } from '../words/time-format.js';

/**
 * Words shared by the renderers. Plain text (no Markdown): callers escape what came from
 * the playbook or the topology.
 */

/** "overall recovery time", or "recovery time of “Shop answers”" for a step's objective. */
export function objectiveLabel(o: Pick<ObjectiveModel, 'scope' | 'name'>): string {
  return o.scope === 'step' ? `recovery time of “${o.name}”` : o.name;
}

/** The polling interval behind a step objective's measurement, when the journal has it. */
export function objectiveEveryMs(model: DrillModel, o: ObjectiveModel): number | null {
  if (o.scope !== 'step' || o.index === null) return null;
  return model.steps.find((s) => s.index === o.index)?.wait?.everyMs ?? null;
}

/** "step 2" or "restore step 1": 1-based, as people count. */
export function stepNumber(step: Pick<StepModel, 'section' | 'index'>): string {
  return `${step.section === 'restore' ? 'restore step' : 'step'} ${step.index + 1}`;
}

/** The result of an objective in words: "met", "missed by 2.301s", "not measured: …". */
export function objectiveResult(o: ObjectiveModel): { met: boolean | null; text: string } {
  if (o.measuredMs === null) {
    const why = o.note ?? 'no measurement was recorded';
    return { met: o.met, text: `not measured: ${why}` };
  }
  if (o.met === true) return { met: true, text: 'met' };
  if (o.met === null) return { met: null, text: 'not evaluated' };
  return { met: false, text: o.missedByMs !== null ? `missed by ${formatMeasured(o.missedByMs)}` : 'not met' };
}

/** "3.251s against a target of 30s". */
export function measuredAgainstTarget(o: ObjectiveModel): string {
  const measured = o.measuredMs === null ? 'nothing measured' : formatMeasured(o.measuredMs);
  return `${measured} against a target of ${formatTarget(o.targetMs)}`;
}

/**
 * The fault a wait step measured its recovery from. For a wait the journal cut off before it
 * said so, the last fault applied before the step: of all candidates it gives the shortest,
 * so never a flattering, "degraded for at least".
 */
export function referenceFault(model: DrillModel, step: StepModel): FaultModel | undefined {
  const startedAtMs = step.startedAtMs ?? Infinity;
  const appliedBefore = model.faults.filter((f) => f.appliedAtMs !== null && f.appliedAtMs <= startedAtMs);
  const ref = step.wait?.reference?.ref;
  if (ref !== undefined) return appliedBefore.filter((f) => f.ref === ref).pop() ?? model.faults.find((f) => f.ref === ref);
  return step.wait?.met === null ? appliedBefore.pop() : undefined;
}

/** The first fault that took effect (faults are listed in the order they were injected); undefined when none did. */
export function firstAppliedFault(model: Pick<DrillModel, 'faults'>): (FaultModel & { appliedAtMs: number }) | undefined {
  return model.faults.find((f): f is FaultModel & { appliedAtMs: number } => f.appliedAtMs !== null);
}

/** Where a fault's rollback stands: decided here once, put in words by each renderer. */
export type RevertState =
  | { kind: 'verified'; revert: RevertModel }
  | { kind: 'not-verified'; revert: RevertModel }
  | { kind: 'left-in-place'; reason: string }
  | { kind: 'not-applied' }
  | { kind: 'not-revertible' }
  | { kind: 'journal-ends-early' }
  | { kind: 'no-revert' };

export function revertState(model: DrillModel, fault: FaultModel): RevertState {
  const revert = fault.revert;
  if (revert) return revert.verified ? { kind: 'verified', revert } : { kind: 'not-verified', revert };
  if (model.remainingFaults?.refs.includes(fault.ref)) return { kind: 'left-in-place', reason: model.remainingFaults.reason };
  if (fault.state === 'inject-failed') return { kind: 'not-applied' };
  if (!fault.revertible) return { kind: 'not-revertible' };
  return model.finished ? { kind: 'no-revert' } : { kind: 'journal-ends-early' };
}

/** A fault whose revert was not verified, or that was applied and has no revert recorded. */
export function faultsMayRemain(model: DrillModel): boolean {
  return model.faults.some((f) => (f.revert ? !f.revert.verified : f.state !== 'inject-failed' && f.revertible));
}
