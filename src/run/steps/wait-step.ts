import type { WaitSpec } from '../../playbook/schema.js';
import type { Section } from '../../journal/events.js';
import { nsToMs, NS_PER_MS } from '../../clock.js';
import type { AppliedReference, DrillContext, StepOutcome, StepPosition, WaitMeasurement } from '../drill-context.js';
import { WaitSampler } from './wait-sampler.js';

/**
 * Waits until the step's probe holds for `consecutive` samples in a row, or its timeout (from
 * the step's start) passes. The probe may have been sampling since the reference fault was
 * applied (`early`, started by EarlySamplers while the steps in between ran): its samples and
 * streak count from then, so a recovery before this step began is still bracketed at the
 * polling interval.
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
export async function runWaitStep(
  ctx: DrillContext,
  at: StepPosition,
  spec: WaitSpec,
  signal: AbortSignal,
  early?: WaitSampler,
): Promise<StepOutcome> {
  const reference = findReference(ctx, at.section, spec.from);
  const deadlineNs = ctx.bus.elapsedNs() + BigInt(spec.timeout) * NS_PER_MS;
  const sampler = (await adopt(early, reference)) ?? new WaitSampler(ctx, at, spec, reference, signal);
  const sampled = await sampler.settle(deadlineNs);

  if (sampled.held) {
    const { streakStartNs, streakAnsweredNs, gapBeforeStreakNs } = sampled;
    const { recoveryMs, referenceExpired } = recoveryFrom(reference, streakStartNs, streakAnsweredNs);
    const resolutionMs = Math.max(spec.every, nsToMs(gapBeforeStreakNs));
    emitFinished(ctx, at, { spec, met: true, samples: sampled.samples, reference, recoveryMs, resolutionMs, referenceExpired });
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

  emitFinished(ctx, at, { spec, met: false, samples: sampled.samples, reference, recoveryMs: null, resolutionMs: spec.every });
  const measurement = { met: false, recoveryMs: null, resolutionMs: spec.every };
  return signal.aborted
    ? { ok: false, error: 'aborted while waiting', measurement }
    : { ok: false, error: `condition did not hold within ${spec.timeout}ms (${sampled.samples} samples)`, measurement };
}

/** The early sampler, if it measures from the fault this step does; otherwise it is stopped, so one samples at a time. */
async function adopt(early: WaitSampler | undefined, reference: AppliedReference | undefined): Promise<WaitSampler | undefined> {
  if (!early) return undefined;
  if (early.reference !== undefined && early.reference === reference) return early;
  await early.stop();
  return undefined;
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

/**
 * The fault this wait measures from: `from`, or the last fault applied. In the restore phase a
 * fault already reverted (by the rollback, mostly) is none: what the wait sees there is the
 * system coming back after firedrill's own revert, no recovery from that fault, so the wait
 * states when the condition held and claims no recovery time.
 */
export function findReference(ctx: DrillContext, section: Section, from: string | undefined): AppliedReference | undefined {
  const candidates = section === 'restore' ? ctx.facts.applied.filter((applied) => applied.revertedNs === undefined) : ctx.facts.applied;
  if (from) return candidates.find((applied) => applied.ref === from);
  return candidates.at(-1);
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
