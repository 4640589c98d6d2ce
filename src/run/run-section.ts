import type { Step } from '../playbook/schema.js';
import { nsToMs } from '../clock.js';
import type { DrillContext, StepOutcome, StepPosition, WaitMeasurement } from './drill-context.js';
import type { Section } from '../journal/events.js';
import { describeStep, stepAction } from '../plan/step-outline.js';
import { runInjectStep } from './steps/inject-step.js';
import { runManualStep } from './steps/manual-step.js';
import { runNotifyStep } from './steps/notify-step.js';
import { runRunStep } from './steps/run-step.js';
import { runWaitStep } from './steps/wait-step.js';
import { messageOf } from '../errors.js';
import { EarlySamplers } from './early-samplers.js';

export interface SectionResult {
  /** Index of the step that failed, if one did; the steps after it did not run. */
  failedAt?: number;
  measurements: Map<number, WaitMeasurement>;
}

/**
 * Runs the steps of one section in order and stops at the first failure or when the signal
 * aborts. Every step gets step.started and step.finished; steps that never ran are recorded
 * as not-run so the journal accounts for all of them. A wait step's probe may start sampling
 * earlier, when its reference fault is applied (early-samplers.ts).
 */
export async function runSection(
  ctx: DrillContext,
  section: Section,
  steps: Step[],
  signal: AbortSignal,
  afterStep?: (index: number, outcome: StepOutcome) => void,
): Promise<SectionResult> {
  const early = new EarlySamplers(ctx, section, steps, signal);
  try {
    return await runSteps(ctx, section, steps, signal, early, afterStep);
  } finally {
    // No sampling outlives its section: a wait that never ran stops here, before the rollback.
    await early.stopAll();
  }
}

async function runSteps(
  ctx: DrillContext,
  section: Section,
  steps: Step[],
  signal: AbortSignal,
  early: EarlySamplers,
  afterStep?: (index: number, outcome: StepOutcome) => void,
): Promise<SectionResult> {
  const measurements = new Map<number, WaitMeasurement>();
  for (const [index, step] of steps.entries()) {
    if (signal.aborted) {
      markNotRun(ctx, section, steps, index);
      return { failedAt: index, measurements };
    }
    const at = { section, index };
    ctx.bus.emit('step.started', { ...at, name: step.name, action: stepAction(step), describe: describeStep(step) });
    const started = ctx.clock.now();
    const outcome: StepOutcome = await runStep(ctx, at, step, signal, early).catch((error: unknown) => ({
      ok: false,
      error: messageOf(error),
    }));
    early.afterStep(index);
    if (outcome.measurement) measurements.set(index, outcome.measurement);
    const status = outcome.ok ? (outcome.skipped ? 'skipped' : 'passed') : 'failed';
    ctx.bus.emit('step.finished', {
      ...at,
      status,
      durationMs: nsToMs(ctx.clock.now() - started),
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    afterStep?.(index, outcome);
    if (!outcome.ok) {
      markNotRun(ctx, section, steps, index + 1);
      return { failedAt: index, measurements };
    }
  }
  return { measurements };
}

function runStep(ctx: DrillContext, at: StepPosition, step: Step, signal: AbortSignal, early: EarlySamplers): Promise<StepOutcome> {
  if (step.inject) return runInjectStep(ctx, at, signal);
  if (step.wait) return runWaitStep(ctx, at, step.wait, signal, early.take(at.index));
  if (step.run) return runRunStep(ctx, at, step.run, signal);
  if (step.manual) return runManualStep(ctx, at, step.manual, signal);
  if (step.notify) return runNotifyStep(ctx, at, step.notify, signal);
  return ctx.clock.sleep(step.pause ?? 0, signal).then(
    () => ({ ok: true }),
    () => ({ ok: false, error: 'aborted during pause' }),
  );
}

function markNotRun(ctx: DrillContext, section: Section, steps: Step[], from: number): void {
  for (let index = from; index < steps.length; index += 1) {
    ctx.bus.emit('step.finished', { section, index, status: 'not-run', durationMs: 0 });
  }
}
