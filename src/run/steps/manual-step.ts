import type { ManualSpec } from '../../playbook/schema.js';
import type { DrillContext, StepOutcome, StepPosition } from '../drill-context.js';

/**
 * Asks a person to confirm something. Without a person (CI, no terminal) the playbook's
 * `ci` behaviour decides; firedrill never waits for input that cannot come.
 */
export async function runManualStep(ctx: DrillContext, at: StepPosition, spec: ManualSpec, signal: AbortSignal): Promise<StepOutcome> {
  if (!ctx.prompter) {
    const outcome = spec.ci === 'pass' ? 'ci-pass' : spec.ci === 'skip' ? 'ci-skip' : 'ci-fail';
    ctx.bus.emit('manual.answered', { ...at, outcome });
    if (spec.ci === 'fail')
      return { ok: false, error: 'nobody can answer a manual step here (no terminal or CI); the playbook says ci: fail' };
    return { ok: true, skipped: spec.ci === 'skip' };
  }
  const answer = await ctx.prompter.confirm(spec.prompt, { timeoutMs: spec.timeout, signal });
  ctx.bus.emit('manual.answered', { ...at, outcome: answer });
  if (answer === 'confirmed') return { ok: true };
  return { ok: false, error: answer === 'declined' ? 'declined by the operator' : `no answer within ${spec.timeout}ms` };
}
