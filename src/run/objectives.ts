import { formatTarget } from '../words/time-format.js';
import type { EventMap } from '../journal/events.js';
import type { WaitMeasurement } from './drill-context.js';

export type ObjectiveFacts = EventMap['objective.evaluated'];

/** The names of the drill's own objectives, as journaled (objective.evaluated) and shown in the reports. */
export const RECOVERY_OBJECTIVE = 'overall recovery time';
export const FIRST_CONTACT_OBJECTIVE = 'time to first contact';

/** A wait step's RTO against what it measured. Pure. */
export function evaluateStepObjective(
  index: number,
  name: string,
  targetMs: number,
  measured: WaitMeasurement | undefined,
  aborted = false,
): ObjectiveFacts {
  const base = { scope: 'step' as const, index, name, targetMs };
  if (!measured?.met || measured.recoveryMs === null) {
    return { ...base, measuredMs: null, resolutionMs: measured?.resolutionMs ?? null, met: false, note: whyNotMeasured(measured, aborted) };
  }
  // The measurement may be late by up to its resolution, never early: compare as measured.
  return { ...base, measuredMs: measured.recoveryMs, resolutionMs: measured.resolutionMs, met: measured.recoveryMs <= targetMs };
}

function whyNotMeasured(measured: WaitMeasurement | undefined, aborted: boolean): string {
  if (!measured) return 'the step did not run';
  if (measured.referenceExpired) {
    return `the fault was reverted at its maxDuration (${formatTarget(measured.referenceExpired.maxDurationMs)}) before the system recovered by itself`;
  }
  if (measured.met) return 'no fault had been applied before this step';
  return aborted ? 'the drill was aborted before the condition held' : 'the condition never held';
}

/**
 * The drill's overall RTO: from the first fault applied to the moment the last wait step of
 * the drill saw its condition hold. Missing when no fault was applied, a wait never held, or
 * a wait held only once firedrill had reverted its fault at the fault's maxDuration.
 */
export function evaluateDrillObjective(
  targetMs: number,
  firstAppliedNs: bigint | undefined,
  waits: (WaitMeasurement | undefined)[],
): ObjectiveFacts {
  const base = { scope: 'drill' as const, name: RECOVERY_OBJECTIVE, targetMs };
  if (firstAppliedNs === undefined) {
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note: 'no fault was applied' };
  }
  if (waits.length === 0) {
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note: 'the drill has no wait step to observe recovery' };
  }
  const expired = waits.find((wait) => wait?.referenceExpired)?.referenceExpired;
  if (expired) {
    const note = `fault "${expired.ref}" was reverted at its maxDuration (${formatTarget(expired.maxDurationMs)}) before the system recovered by itself`;
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note };
  }
  if (waits.some((wait) => !wait?.met || wait.recoveredAtNs === undefined)) {
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note: 'the service did not recover within the drill' };
  }
  const recovered = waits as Required<WaitMeasurement>[];
  const last = recovered.reduce((latest, wait) => (wait.recoveredAtNs > latest.recoveredAtNs ? wait : latest));
  const measuredMs = Number(last.recoveredAtNs - firstAppliedNs) / 1e6;
  return { ...base, measuredMs, resolutionMs: last.resolutionMs, met: measuredMs <= targetMs };
}

/**
 * Time to first contact: from the first fault applied to the first customer status update
 * delivered after it (`firstContactNs`: its monoNs; only an update delivered once a fault was in
 * effect counts, and the clock is monotonic, so it is never before `firstAppliedNs`).
 * Measured directly, not polled, so exact to the event times (resolution 0).
 */
export function evaluateFirstContactObjective(
  targetMs: number,
  firstAppliedNs: bigint | undefined,
  firstContactNs: bigint | undefined,
  aborted = false,
): ObjectiveFacts {
  const base = { scope: 'drill' as const, name: FIRST_CONTACT_OBJECTIVE, targetMs };
  if (firstAppliedNs === undefined) {
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note: 'no fault was applied' };
  }
  if (firstContactNs === undefined) {
    const note = aborted
      ? 'the drill was aborted before a customer update was delivered'
      : 'no customer update was delivered after the first fault';
    return { ...base, measuredMs: null, resolutionMs: null, met: false, note };
  }
  const measuredMs = Number(firstContactNs - firstAppliedNs) / 1e6;
  return { ...base, measuredMs, resolutionMs: 0, met: measuredMs <= targetMs };
}
