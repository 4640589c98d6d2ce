import type { EventMap } from '../journal/events.js';
import type { DrillModel, StopConditionModel } from './model-types.js';

/** The report model's stop conditions, folded from their four events (model.ts dispatches them here). */

export function conditionWatching(model: DrillModel, data: EventMap['stop-condition.watching'], atMs: number): void {
  model.stopConditions.push({
    name: data.name,
    probe: data.probe,
    everyMs: data.everyMs,
    from: data.from,
    tolerateMs: data.tolerateMs,
    maxErrorRate: data.maxErrorRate,
    windowMs: data.windowMs,
    watchedFromAtMs: atMs,
    endedAtMs: null,
    samples: null,
    failed: null,
    changes: [],
    breach: null,
  });
}

export function conditionChanged(model: DrillModel, data: EventMap['stop-condition.changed'], atMs: number): void {
  // Written when the probe answered; the observation began latencyMs earlier.
  latestCondition(model, data.name)?.changes.push({
    atMs: Math.max(0, atMs - data.latencyMs),
    answeredAtMs: atMs,
    ok: data.ok,
    summary: data.summary,
  });
}

/** `sinceOrigin` turns a monoNs time from the event's data into milliseconds since the drill started. */
export function conditionBreached(
  model: DrillModel,
  data: EventMap['stop-condition.breached'],
  atMs: number,
  sinceOrigin: (ns: number) => number,
): void {
  const condition = latestCondition(model, data.name);
  if (!condition) return;
  const fault = model.faults.filter((f) => f.appliedAtMs !== null && f.appliedAtMs <= atMs).pop();
  condition.breach = {
    atMs,
    rule: data.rule,
    reason: data.reason,
    summary: data.summary,
    sampledAtMs: sinceOrigin(data.sampledNs),
    firstFailureAtMs: sinceOrigin(data.firstFailureNs),
    samples: data.samples,
    failed: data.failed,
    fault: fault ? { ref: fault.ref, appliedAtMs: fault.appliedAtMs!, sinceAppliedMs: atMs - fault.appliedAtMs! } : null,
  };
}

export function conditionEnded(model: DrillModel, data: EventMap['stop-condition.ended'], atMs: number): void {
  const condition = latestCondition(model, data.name);
  if (!condition) return;
  condition.endedAtMs = atMs;
  condition.samples = data.samples;
  condition.failed = data.failed;
}

/** The latest condition watched under this name. */
function latestCondition(model: DrillModel, name: string): StopConditionModel | undefined {
  return model.stopConditions.filter((c) => c.name === name).pop();
}
