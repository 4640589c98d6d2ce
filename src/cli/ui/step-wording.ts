import type { EventMap } from '../../journal/events.js';
import { formatBound, formatMeasured, formatSpan, plural } from './format.js';
import type { Paint } from '../../words/paint.js';
import type { SampleNotice } from './probe-watch.js';

/**
 * Sentences about one step, from event data. Shared by the plain log and the live view;
 * the caller adds the step label and the timestamp.
 */

export function stepFinishedText(data: EventMap['step.finished'], paint: Paint): string {
  const took = formatMeasured(data.durationMs);
  const why = data.error ? `: ${data.error}` : '';
  switch (data.status) {
    case 'passed':
      return `${paint.good('passed')} in ${took}`;
    case 'failed':
      return `${paint.bad('FAILED')} after ${took}${why}`;
    case 'skipped':
      return `${paint.warn('skipped')}${why}`;
    case 'not-run':
      return `not run${why}`;
  }
}

export function probeState(ok: boolean, paint: Paint): string {
  return ok ? paint.good('ok') : paint.bad('failing');
}

export function sampleNoticeText(notice: SampleNotice, paint: Paint): string {
  const { sample } = notice;
  switch (notice.kind) {
    case 'first':
      return `first sample: ${probeState(sample.ok, paint)} (${sample.summary})`;
    case 'changed':
      return sample.ok
        ? `probe now ${probeState(true, paint)} (${sample.summary}) at sample ${sample.sample}`
        : `probe ${probeState(false, paint)} again (${sample.summary}) at sample ${sample.sample}`;
    case 'heartbeat': {
      const holding = sample.ok ? ` (ok, ${sample.streak} in a row)` : '';
      return `still waiting, ${plural(notice.samples, 'sample')}, last: ${sample.summary}${holding}`;
    }
  }
}

/**
 * Whether a measured recovery meets a step's objective. The measurement is an upper bound
 * (the condition held at or before the sample that saw it), so comparing it with the target
 * never flatters. The runner's `objective.evaluated` stays the authority and is shown too.
 */
export function withinObjective(recoveryMs: number | null, rtoMs: number): boolean {
  return recoveryMs !== null && recoveryMs <= rtoMs;
}

export interface WaitOutcome {
  finished: EventMap['wait.finished'];
  rtoMs?: number;
  /** From the step's start to the end of the wait, for "gave up after". */
  waitedMs: number;
  lastSummary?: string;
}

/** "recovered after 3.251s (±250ms) from fault "a-down", objective 15s: met". */
export function waitOutcomeText(outcome: WaitOutcome, paint: Paint): string {
  const { finished } = outcome;
  const objective =
    outcome.rtoMs === undefined
      ? ''
      : `, objective ${formatSpan(outcome.rtoMs)}: ${
          withinObjective(finished.met ? finished.recoveryMs : null, outcome.rtoMs) ? paint.good('met') : paint.bad('missed')
        }`;
  return `${waitResultText(outcome, paint)}${objective}`;
}

function waitResultText(outcome: WaitOutcome, paint: Paint): string {
  const { finished } = outcome;
  const samples = plural(finished.samples, 'sample');
  if (!finished.met) {
    const last = outcome.lastSummary ? `, last: ${outcome.lastSummary}` : '';
    return `${paint.bad('condition not met')}: gave up after ${formatMeasured(outcome.waitedMs)}, ${samples}${last}`;
  }
  if (finished.recoveryMs !== null && finished.reference) {
    const measured = `${formatMeasured(finished.recoveryMs)} (${formatBound(finished.resolutionMs)})`;
    return `${paint.good('recovered')} after ${measured} from fault "${finished.reference.ref}"`;
  }
  const why = finished.referenceExpired
    ? `only after fault "${finished.reference?.ref ?? '?'}" was reverted at its maxDuration, so no recovery time`
    : finished.reference
      ? 'recovery time not measured'
      : 'no fault injected before it, so no recovery time';
  return `condition ${paint.good('held')} after ${samples} (${why})`;
}

export function actionText(data: EventMap['action.finished'], paint: Paint): string {
  return `${data.ok ? paint.good('ok') : paint.bad('failed')}: ${data.summary}`;
}

/** 'customer update "investigating" delivered to http://… (HTTP 200, 12ms)'; a failure says why. */
export function notifyText(data: EventMap['notify.sent'], paint: Paint): string {
  const how = [
    ...(data.httpStatus !== undefined ? [`HTTP ${data.httpStatus}`] : []),
    ...(data.attempts > 1 ? [plural(data.attempts, 'attempt')] : []),
    formatMeasured(data.latencyMs),
  ].join(', ');
  const outcome = data.ok ? paint.good('delivered') : paint.bad('NOT delivered');
  const why = !data.ok && data.error ? `: ${data.error}` : '';
  return `customer update "${data.status}" ${outcome} to ${data.target} (${how})${why}`;
}

export function manualAnswerText(outcome: EventMap['manual.answered']['outcome'], paint: Paint): string {
  switch (outcome) {
    case 'confirmed':
      return `answer: ${paint.good('confirmed')}`;
    case 'declined':
      return `answer: ${paint.bad('declined')}`;
    case 'timed-out':
      return `${paint.bad('no answer')} before the timeout`;
    case 'ci-pass':
      return `nobody to ask (CI): ${paint.good('passed')} as the playbook says`;
    case 'ci-fail':
      return `nobody to ask (CI): ${paint.bad('failed')} as the playbook says`;
    case 'ci-skip':
      return `nobody to ask (CI): ${paint.warn('skipped')} as the playbook says`;
  }
}

export function faultInjectingText(data: EventMap['fault.injecting']): string {
  const { record } = data;
  const plan = data.plan.length > 0 ? `: ${data.plan.map((action) => action.apply).join('; ')}` : '';
  return `injecting ${record.kind} "${record.ref}" into ${plural(record.targets.length, 'container')}${plan}`;
}

export function faultAppliedText(data: EventMap['fault.applied']): string {
  return `fault "${data.ref}" (${data.kind}) in effect on ${plural(data.targets.length, 'container')}, applied in ${formatMeasured(data.injectMs)}`;
}

export function faultFailedText(data: EventMap['fault.inject-failed'], paint: Paint): string {
  return `fault "${data.ref}" (${data.kind}) ${paint.bad('could not be applied')}: ${data.error}`;
}
