import type { WaitSpec } from '../../playbook/schema.js';
import { runProbe } from '../../probes/registry.js';
import { SampleSchedule, sleepUntil } from '../../probes/sample-schedule.js';
import type { AppliedReference, DrillContext, StepPosition } from '../drill-context.js';

/** What a wait's samples showed when its sampling ended. Times are monoNs on the bus's clock. */
export type SamplingResult =
  | {
      held: true;
      samples: number;
      /** When the first sample of the streak that held began, and when it answered. */
      streakStartNs: bigint;
      streakAnsweredNs: bigint;
      /** From the start of the sample before the streak (or the reference fault) to the streak's first sample. */
      gapBeforeStreakNs: bigint;
    }
  | { held: false; samples: number };

/**
 * The probe of one wait step, polled at a fixed rate until it holds for `consecutive` samples in
 * a row. It may start before its wait step does: at the reference fault, while the steps in
 * between run, so a recovery that comes before the wait step still is bracketed at the polling
 * interval. Before its step begins it has no deadline of its own; it ends when the condition
 * holds, at the deadline its step sets (`settle`), when `stop` is called, or when the signal
 * aborts (the drill is aborted, or ran past its time limit). Each sample is journaled
 * (probe.sample) as it is taken.
 */
export class WaitSampler {
  /** Until its step begins, only the signal and `stop` end the sampling. */
  private deadlineNs: bigint | undefined;
  private readonly stopper = new AbortController();
  private readonly result: Promise<SamplingResult>;

  constructor(
    private readonly ctx: DrillContext,
    private readonly at: StepPosition,
    private readonly spec: WaitSpec,
    /** The fault the recovery is measured from, when there is one. */
    readonly reference: AppliedReference | undefined,
    signal: AbortSignal,
  ) {
    this.result = this.sample(AbortSignal.any([signal, this.stopper.signal]));
    // Its step (settle) or the section's end (stop) reads the outcome later; a failure in the
    // background (a journal that cannot be written) must not go unhandled in the meantime.
    this.result.catch(() => undefined);
  }

  /** The wait step has begun: sampling goes on until the condition holds or `deadlineNs` passes. */
  settle(deadlineNs: bigint): Promise<SamplingResult> {
    this.deadlineNs = deadlineNs;
    return this.result;
  }

  /** Ends the sampling now (its step will not take it over); resolves once the probe in flight has ended. */
  stop(): Promise<void> {
    this.stopper.abort();
    return this.result.then(
      () => undefined,
      () => undefined,
    );
  }

  private async sample(signal: AbortSignal): Promise<SamplingResult> {
    const { ctx, spec, at } = this;
    const probeCtx = { engine: ctx.engine, topology: ctx.topology, signal, clock: ctx.clock };
    let sample = 0;
    let streak = 0;
    let streakStartNs = 0n;
    let streakAnsweredNs = 0n;
    let previousSampleNs = this.reference?.appliedNs ?? ctx.bus.elapsedNs();
    let gapBeforeStreakNs = 0n;
    const now = () => ctx.bus.elapsedNs();
    // Samples at fixed instants from the first: a late timer delays only its own sample.
    const schedule = new SampleSchedule(now(), spec.every);

    while (!signal.aborted) {
      const sampleNs = ctx.bus.elapsedNs();
      const result = await runProbe(spec.probe, probeCtx);
      if (signal.aborted) break;
      sample += 1;
      if (result.ok) {
        if (streak === 0) {
          streakStartNs = sampleNs;
          streakAnsweredNs = ctx.bus.elapsedNs();
          gapBeforeStreakNs = sampleNs - previousSampleNs;
        }
        streak += 1;
      } else {
        streak = 0;
      }
      previousSampleNs = sampleNs;
      ctx.bus.emit('probe.sample', { ...at, sample, ok: result.ok, summary: result.summary, latencyMs: result.latencyMs, streak });
      if (streak >= spec.consecutive) return { held: true, samples: sample, streakStartNs, streakAnsweredNs, gapBeforeStreakNs };

      const nowNs = now();
      if (this.deadlineNs !== undefined && nowNs >= this.deadlineNs) break;
      const nextNs = schedule.advance(nowNs);
      await sleepUntil(ctx.clock, now, this.deadlineNs !== undefined && this.deadlineNs < nextNs ? this.deadlineNs : nextNs, signal);
    }
    return { held: false, samples: sample };
  }
}
