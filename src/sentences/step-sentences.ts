import type { EventMap } from '../journal/events.js';
import { capitalised, oneLine } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import { formatMeasured, formatOffset, formatResolutionInline, formatTarget } from '../words/time-format.js';
import { cut } from '../words/input-text.js';
import type { Style } from './style.js';

/** How much of a quoted text a brief sentence keeps. */
const BRIEF_QUOTE_LENGTH = 40;

/**
 * The steps in words, one function per event. `label` is the renderer's name for the step
 * ("Step 2 “edge fails over”", `step 2/3 "edge fails over"`): layout, not wording. Sentences
 * about a step that the renderer prefixes with its label ("<label>: …") do not take one.
 */

export function stepStartedSentence(label: string, d: EventMap['step.started'], s: Style): string {
  return `${label} started: ${s.escape(d.describe)}`;
}

export function stepFinishedSentence(label: string, d: EventMap['step.finished'], s: Style): string {
  if (d.status === 'not-run') return `${label} was not run`;
  const { paint } = s;
  const status = d.status === 'passed' ? paint.good(d.status) : d.status === 'failed' ? paint.bad(d.status) : paint.warn(d.status);
  const error = d.error ? `: ${s.escape(d.error)}` : '';
  return `${label} ${status} after ${formatMeasured(d.durationMs)}${error}`;
}

export function actionFinishedSentence(d: EventMap['action.finished'], s: Style): string {
  const outcome = d.ok ? s.paint.good('succeeded') : s.paint.strong(s.paint.bad('failed'));
  return `${outcome} (${s.escape(d.summary)})`;
}

export function manualAnsweredSentence(d: Pick<EventMap['manual.answered'], 'outcome'>, s: Style): string {
  const { good, bad, warn } = s.paint;
  switch (d.outcome) {
    case 'confirmed':
      return `the operator ${good('confirmed')}`;
    case 'declined':
      return `the operator ${bad('declined')}`;
    case 'ci-pass':
      return `nobody to ask (CI); ${good('passed')}, as the playbook allows`;
    case 'ci-fail':
      return `nobody to ask (CI); ${bad('failed')}, as the playbook says`;
    case 'ci-skip':
      return `nobody to ask (CI); ${warn('skipped')}, as the playbook says`;
    case 'timed-out':
      return `nobody ${bad('answered in time')}`;
  }
}

/** 'the customer update “Investigating: We are on it” was posted'; the terminal adds where to and how it went. */
export function notifySentSentence(d: EventMap['notify.sent'], s: Style): string {
  const { paint } = s;
  const message = s.brief ? cut(oneLine(d.message), BRIEF_QUOTE_LENGTH) : oneLine(d.message);
  const update = s.quote(`${capitalised(d.status)}: ${message}`);
  const posted = d.ok ? paint.good('was posted') : paint.strong(paint.bad('was not posted'));
  const why = s.escape(d.error ?? 'no reason recorded');
  if (!s.particulars) return `the customer update ${update} ${posted}${d.ok ? '' : ` (${why})`}`;
  const how = [
    ...(d.httpStatus !== undefined ? [`HTTP ${d.httpStatus}`] : []),
    ...(d.attempts > 1 ? [count(d.attempts, 'attempt')] : []),
    formatMeasured(d.latencyMs),
  ].join(', ');
  return `the customer update ${update} ${posted} to ${d.target} (${how})${d.ok ? '' : `: ${why}`}`;
}

/** What the samples of a wait showed, beside what wait.finished says: each renderer follows the samples its own way. */
export interface WaitSeen {
  /** The first sample that held: when it was taken (ms since the drill started) and its number. */
  firstOk: { atMs: number; sample: number } | null;
  /** The number of the last sample that failed, if any did. */
  lastFailureSample: number | null;
  /** When the condition held from, for a wait that was met (ms since the drill started). */
  heldFromAtMs: number | null;
  /** The polling interval, when the journal has it. */
  everyMs: number | null;
  /** What the last sample saw (only the terminal says it). */
  lastSummary?: string;
}

/** "14 samples; healthy from +3.600s; recovered 3.502s after fault `a-down` was applied (±250ms, polled every 250ms)". */
export function waitFinishedSentence(d: EventMap['wait.finished'], seen: WaitSeen, s: Style): string {
  const { paint } = s;
  const parts = [count(d.samples, 'sample')];
  const { firstOk } = seen;
  const failedAfterFirstOk = firstOk !== null && (seen.lastFailureSample ?? 0) > firstOk.sample;
  if (firstOk && failedAfterFirstOk) parts.push(`first healthy at ${formatOffset(firstOk.atMs)}, then failing again`);
  if (d.met && seen.heldFromAtMs !== null) parts.push(`healthy from ${formatOffset(seen.heldFromAtMs)}`);
  if (!d.met && firstOk && !failedAfterFirstOk) parts.push(`healthy from ${formatOffset(firstOk.atMs)}, but not for long enough`);
  if (!d.met) parts.push(`${paint.strong(paint.bad('did not hold'))} before the wait ended`);
  if (!d.met && s.particulars && seen.lastSummary !== undefined) parts.push(`the last sample saw ${s.escape(seen.lastSummary)}`);
  if (d.met && d.reference && d.referenceExpired) {
    const max = formatTarget(d.referenceExpired.maxDurationMs);
    parts.push(`only after fault ${s.code(d.reference.ref)} was reverted at its maximum duration of ${max}, so no recovery time`);
  }
  if (d.met && d.reference && d.recoveryMs !== null) {
    const resolution = formatResolutionInline(d.resolutionMs, seen.everyMs);
    parts.push(
      `${paint.good('recovered')} ${formatMeasured(d.recoveryMs)} after fault ${s.code(d.reference.ref)} was applied (${resolution})`,
    );
  }
  return parts.join('; ');
}

/** What is worth telling about one more sample of a wait (the terminal alone tells samples). */
export type SampleNoticeKind = 'first' | 'changed' | 'heartbeat';

export function probeSampleSentence(d: EventMap['probe.sample'], notice: SampleNoticeKind, samples: number, s: Style): string {
  const state = (ok: boolean) => (ok ? s.paint.good('ok') : s.paint.bad('failing'));
  switch (notice) {
    case 'first':
      return `first sample: ${state(d.ok)} (${s.escape(d.summary)})`;
    case 'changed':
      return d.ok
        ? `probe now ${state(true)} (${s.escape(d.summary)}) at sample ${d.sample}`
        : `probe ${state(false)} again (${s.escape(d.summary)}) at sample ${d.sample}`;
    case 'heartbeat': {
      const holding = d.ok ? ` (ok, ${d.streak} in a row)` : '';
      return `still waiting, ${count(samples, 'sample')}, last: ${s.escape(d.summary)}${holding}`;
    }
  }
}
