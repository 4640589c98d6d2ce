import type { StatusValue } from '../notify/status-update.js';
import type { DrillModel, NotificationModel } from './model-types.js';
import { firstAppliedFault } from './report-words.js';

/**
 * The drill told as a status page would have told it: investigating → identified →
 * monitoring → resolved. Each stage is placed at a fact of the journal, and says which:
 * a status update the drill posted (a notify step) wins; otherwise the stage is mapped from
 * what the drill observed. A stage with no fact to stand on is left unreached, never guessed.
 */

export type StageBasis =
  | { kind: 'update'; message: string }
  | { kind: 'detected'; check: string; summary: string }
  | { kind: 'fault-applied'; ref: string }
  | { kind: 'recovery-action'; step: string }
  | { kind: 'held'; check: string }
  | { kind: 'rolled-back'; faults: number; steadyChecks: number };

export interface StageModel {
  stage: StatusValue;
  /** Null when the drill never reached this stage. */
  atMs: number | null;
  basis: StageBasis | null;
  /** Why the stage was not reached, when it was not. */
  missing: string | null;
}

/** The drill as the stages read it: of the customer updates it posted (its notify steps), only these facts. */
type StagesModel = Omit<DrillModel, 'notifications'> & {
  notifications: readonly Pick<NotificationModel, 'atMs' | 'status' | 'message' | 'ok'>[];
};

/** The order a status page usually tells an incident in. */
export const USUAL_STAGE_ORDER: readonly StatusValue[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/**
 * The stages in the order they were reached, as a status page would have shown them (a check
 * can hold again before anyone identified the cause); stages never reached come last, in the
 * usual order. Empty when no fault was applied (nothing to tell a status page).
 */
export function statusStages(model: StagesModel): StageModel[] {
  return inTimeOrder(stagesByFact(model));
}

/** Stages reached, earliest first (the usual order among equal times); then those not reached. */
function inTimeOrder(stages: StageModel[]): StageModel[] {
  const reached = stages.filter((s) => s.atMs !== null).sort((a, b) => a.atMs! - b.atMs!);
  return [...reached, ...stages.filter((s) => s.atMs === null)];
}

/**
 * Pairs of stages reached in the opposite of the usual order: [reached first, usually first].
 * Empty when the drill went as a status page usually tells it.
 */
export function stagesOutOfOrder(stages: readonly StageModel[]): [StageModel, StageModel][] {
  const reached = stages.filter((s) => s.atMs !== null);
  const pairs: [StageModel, StageModel][] = [];
  for (const [i, earlier] of reached.entries()) {
    for (const later of reached.slice(i + 1)) {
      if (later.atMs! > earlier.atMs! && USUAL_STAGE_ORDER.indexOf(later.stage) < USUAL_STAGE_ORDER.indexOf(earlier.stage))
        pairs.push([earlier, later]);
    }
  }
  return pairs;
}

function stagesByFact(model: StagesModel): StageModel[] {
  const fault = firstAppliedFault(model);
  if (!fault) return [];
  const from = fault.appliedAtMs;
  const posted = (stage: StatusValue): StageModel | undefined => {
    const update = model.notifications.find((u) => u.ok && u.status === stage && u.atMs >= from);
    return update ? { stage, atMs: update.atMs, basis: { kind: 'update', message: update.message }, missing: null } : undefined;
  };
  return [
    posted('investigating') ?? investigating(model, from, fault.ref),
    posted('identified') ?? identified(model, from),
    posted('monitoring') ?? monitoring(model, from),
    posted('resolved') ?? resolved(model),
  ];
}

/**
 * The first check that failed after the fault: when the trouble became known. That is when the
 * failing check answered (a probe that timed out after 3s knew nothing before then), not when it
 * began: detection is never placed earlier than it happened.
 */
function investigating(model: StagesModel, from: number, ref: string): StageModel {
  const failures: { atMs: number; check: string; summary: string }[] = [];
  for (const step of model.steps) {
    const failure = step.wait?.firstFailure;
    if (failure && failure.atMs >= from) failures.push({ atMs: failure.answeredAtMs, check: step.name, summary: failure.summary });
  }
  for (const condition of model.stopConditions) {
    const change = condition.changes.find((c) => !c.ok && c.atMs >= from);
    if (change) failures.push({ atMs: change.answeredAtMs, check: condition.name, summary: change.summary });
  }
  const first = failures.sort((a, b) => a.atMs - b.atMs)[0];
  if (first)
    return {
      stage: 'investigating',
      atMs: first.atMs,
      basis: { kind: 'detected', check: first.check, summary: first.summary },
      missing: null,
    };
  return { stage: 'investigating', atMs: from, basis: { kind: 'fault-applied', ref }, missing: null };
}

/** A recovery action run after the fault: someone (or something) acted on a known cause. */
function identified(model: StagesModel, from: number): StageModel {
  const action = model.steps.find((s) => s.action === 'run' && s.startedAtMs !== null && s.startedAtMs >= from);
  if (action?.startedAtMs != null) {
    return { stage: 'identified', atMs: action.startedAtMs, basis: { kind: 'recovery-action', step: action.name }, missing: null };
  }
  return {
    stage: 'identified',
    atMs: null,
    basis: null,
    missing: 'no recovery action was run and no update marked the cause as identified',
  };
}

/** The first check that held again after the fault: service is back and being watched. */
function monitoring(model: StagesModel, from: number): StageModel {
  const held = model.steps
    .filter((s) => s.wait?.met === true && s.wait.heldFromAtMs !== null && s.wait.heldFromAtMs >= from)
    .sort((a, b) => (a.wait!.heldFromAtMs ?? 0) - (b.wait!.heldFromAtMs ?? 0))[0];
  if (held) return { stage: 'monitoring', atMs: held.wait!.heldFromAtMs, basis: { kind: 'held', check: held.name }, missing: null };
  return { stage: 'monitoring', atMs: null, basis: null, missing: 'no check was seen to hold again after the fault' };
}

/** Every fault reverted and verified, and the steady state back: the incident is over. */
function resolved(model: StagesModel): StageModel {
  const applied = model.faults.filter((f) => f.appliedAtMs !== null);
  const unverified = applied.filter((f) => !f.revert?.verified);
  if (unverified.length > 0) {
    return {
      stage: 'resolved',
      atMs: null,
      basis: null,
      missing: `${unverified.length === 1 ? 'a fault was' : `${unverified.length} faults were`} not verified as reverted`,
    };
  }
  const after = model.steadyState.after;
  if (after.some((c) => !c.ok)) return { stage: 'resolved', atMs: null, basis: null, missing: 'the steady state did not return' };
  const times = [...applied.map((f) => f.revert!.atMs), ...after.map((c) => c.atMs)];
  return {
    stage: 'resolved',
    atMs: Math.max(...times),
    basis: { kind: 'rolled-back', faults: applied.length, steadyChecks: after.length },
    missing: null,
  };
}
