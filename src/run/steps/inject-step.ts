import { getFault } from '../../faults/registry.js';
import { nsToMs } from '../../clock.js';
import type { DrillContext, StepOutcome, StepPosition } from '../drill-context.js';
import { messageOf } from '../../errors.js';

/**
 * Applies the fault planned for this step. The record goes to the journal and the ledger
 * BEFORE anything is touched, so a partial or interrupted injection is still rolled back.
 */
export async function runInjectStep(ctx: DrillContext, at: StepPosition, signal: AbortSignal): Promise<StepOutcome> {
  const record = ctx.plannedFaults.get(at.index);
  if (!record) return { ok: false, error: 'no fault was planned for this step' };
  const fault = getFault(record.kind);

  ctx.bus.emit('fault.injecting', { ...at, record, plan: fault.plan(record) });
  ctx.ledger.add(record);
  const started = ctx.clock.now();
  try {
    await fault.inject(record, { engine: ctx.engine, signal });
  } catch (error) {
    const message = messageOf(error);
    ctx.bus.emit('fault.inject-failed', { ref: record.ref, kind: record.kind, error: message });
    return { ok: false, error: `could not inject ${record.kind}: ${message}` };
  }
  const injectMs = nsToMs(ctx.clock.now() - started);
  // Its moment is the reference point for recovery times (DrillFacts notes it from the event).
  ctx.bus.emit('fault.applied', {
    ref: record.ref,
    kind: record.kind,
    targets: record.targets.map((target) => target.name),
    injectMs,
  });
  return { ok: true };
}
