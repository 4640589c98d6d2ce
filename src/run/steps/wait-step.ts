import type { WaitSpec } from '../../playbook/schema.js';
import { runProbe } from '../../probes/registry.js';
import { SampleSchedule, sleepUntil } from '../../probes/sample-schedule.js';
import { nsToMs, NS_PER_MS } from '../../clock.js';
import type { AppliedReference, DrillContext, StepOutcome, StepPosition, WaitMeasurement } from '../drill-context.js';

/**
 * Polls a probe at a fixed rate until it holds for `consecutive` samples in a row or the
 * timeout passes.
 *
 * Recovery time = from the reference fault's fault.applied moment to the START of the first
 * sample of the streak that held. The true moment lies between the start of the last failing
 * sample and that sample, so the stated resolution is the larger of the polling interval and
 * the gap actually observed there (a slow, timed-out probe widens it; it is never hidden).
 *
 * A condition that first holds once the reference fault's maxDuration was up measured
 * firedrill's own revert, not a recovery: the step passes (the condition held) but claims no
 * recovery time. The first sample of the streak must have ANSWERED before the expiry for the
 * system to count as recovered by itself; a sample still running when the revert began might
 * have seen it.
 */
export async function runWaitStep(ctx: DrillContext, at: StepPosition, spec: WaitSpec, signal: AbortSignal): Promise<StepOutcome> {
  const reference = findReference(ctx, spec.from);
  const startedNs = ctx.bus.elapsedNs();
  const deadlineNs = startedNs + BigInt(spec.timeout) * NS_PER_MS;
  const probeCtx = { engine: ctx.engine, topology: ctx.topology, signal, clock: ctx.clock };

  let sample = 0;
  let streak = 0;
  let streakStartNs = 0n;
  let streakAnsweredNs = 0n;
  let previousSampleNs = reference?.appliedNs ?? startedNs;
  let gapBeforeStreakNs = 0n;
  const schedule = new SampleSchedule(startedNs, spec.every);
  const now = () => ctx.bus.elapsedNs();

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

    if (streak >= spec.consecutive) {
      const { recoveryMs, referenceExpired } = recoveryFrom(reference, streakStartNs, streakAnsweredNs);
      const resolutionMs = Math.max(spec.every, nsToMs(gapBeforeStreakNs));
      emitFinished(ctx, at, { spec, met: true, samples: sample, reference, recoveryMs, resolutionMs, referenceExpired });
      return {
        ok: true,
        measurement: {
          met: true,
          recoveryMs,
          resolutionMs,
          recoveredAtNs: streakStartNs,
          ...(referenceExpired ? { referenceExpired } : {}),
        },
      };
    }
    const nowNs = now();
    if (nowNs >= deadlineNs) break;
    await sleepUntil(ctx.clock, now, minBig(schedule.advance(nowNs), deadlineNs), signal);
  }

  emitFinished(ctx, at, { spec, met: false, samples: sample, reference, recoveryMs: null, resolutionMs: spec.every });
  const measurement = { met: false, recoveryMs: null, resolutionMs: spec.every };
  return signal.aborted
    ? { ok: false, error: 'aborted while waiting', measurement }
    : { ok: false, error: `condition did not hold within ${spec.timeout}ms (${sample} samples)`, measurement };
}

/**
 * From the reference fault to the first sample of the streak that held — a recovery time unless
 * the fault's maxDuration was up before that sample had answered.
 */
function recoveryFrom(
  reference: AppliedReference | undefined,
  streakStartNs: bigint,
  streakAnsweredNs: bigint,
): Pick<WaitMeasurement, 'recoveryMs' | 'referenceExpired'> {
  if (!reference) return { recoveryMs: null };
  const heldAfterMs = nsToMs(streakStartNs - reference.appliedNs);
  const expired = reference.expired;
  if (expired === undefined || expired.atNs > streakAnsweredNs) return { recoveryMs: heldAfterMs };
  return { recoveryMs: null, referenceExpired: { ref: reference.ref, maxDurationMs: expired.maxDurationMs, heldAfterMs } };
}

function findReference(ctx: DrillContext, from: string | undefined): AppliedReference | undefined {
  if (from) return ctx.facts.applied.find((applied) => applied.ref === from);
  return ctx.facts.applied.at(-1);
}

function emitFinished(
  ctx: DrillContext,
  at: StepPosition,
  facts: {
    spec: WaitSpec;
    met: boolean;
    samples: number;
    reference: AppliedReference | undefined;
    recoveryMs: number | null;
    resolutionMs: number;
    referenceExpired?: WaitMeasurement['referenceExpired'];
  },
): void {
  ctx.bus.emit('wait.finished', {
    ...at,
    met: facts.met,
    samples: facts.samples,
    reference: facts.reference ? { ref: facts.reference.ref, kind: facts.reference.kind } : null,
    recoveryMs: facts.recoveryMs,
    resolutionMs: facts.resolutionMs,
    everyMs: facts.spec.every,
    timeoutMs: facts.spec.timeout,
    ...(facts.referenceExpired
      ? { referenceExpired: { maxDurationMs: facts.referenceExpired.maxDurationMs, heldAfterMs: facts.referenceExpired.heldAfterMs } }
      : {}),
  });
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
