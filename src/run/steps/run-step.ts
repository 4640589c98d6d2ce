import { runAction } from '../../actions/registry.js';
import type { ActionSpec } from '../../actions/spec-schema.js';
import type { DrillContext, StepOutcome, StepPosition } from '../drill-context.js';
import { revertedFacts } from '../rollback-ledger.js';
import { messageOf } from '../../errors.js';

/**
 * Runs a recovery or restore action. `revert` is handled here rather than as an action
 * because it needs the rollback ledger: the fault is reverted early and verified.
 */
export async function runRunStep(ctx: DrillContext, at: StepPosition, spec: ActionSpec, signal: AbortSignal): Promise<StepOutcome> {
  if (spec.kind === 'revert') return revertEarly(ctx, at, spec.fault);
  try {
    const result = await runAction(spec, { engine: ctx.engine, topology: ctx.topology, signal });
    ctx.bus.emit('action.finished', { ...at, ok: result.ok, summary: result.summary, ...(result.output ? { output: result.output } : {}) });
    return result.ok ? { ok: true } : { ok: false, error: result.summary };
  } catch (error) {
    const message = messageOf(error);
    ctx.bus.emit('action.finished', { ...at, ok: false, summary: message });
    return { ok: false, error: message };
  }
}

async function revertEarly(ctx: DrillContext, at: StepPosition, ref: string): Promise<StepOutcome> {
  const outcome = await ctx.ledger.revert(ref, ctx.engine);
  if (!outcome) {
    ctx.bus.emit('action.finished', { ...at, ok: true, summary: `fault ${ref} was already reverted` });
    return { ok: true };
  }
  const { verified, problems, joined } = outcome;
  // Joined the revert its maxDuration began: that one reports the outcome, once.
  if (!joined) ctx.bus.emit('fault.reverted', revertedFacts(outcome));
  ctx.bus.emit('action.finished', { ...at, ok: verified, summary: verified ? `reverted ${ref}` : `revert of ${ref} not verified` });
  return verified ? { ok: true } : { ok: false, error: problems.join('; ') || `revert of ${ref} not verified` };
}
