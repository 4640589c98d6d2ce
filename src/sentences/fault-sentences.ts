import { differenceText, notExact } from '../faults/mechanisms/revert-differences.js';
import type { EventMap } from '../journal/events.js';
import { count } from '../words/number-words.js';
import { formatMeasured, formatTarget } from '../words/time-format.js';
import type { Style } from './style.js';

/** Faults in words, one function per event; clauses, as in drill-sentences.ts. */

/**
 * A fault about to be applied. The report tells it only when the journal ends before its
 * outcome (`endsHere`); the terminal tells it as it happens, with the plan.
 */
export function faultInjectingSentence(d: EventMap['fault.injecting'], s: Style, endsHere = false): string {
  const { record } = d;
  const kind = s.particulars ? ` (${s.escape(record.kind)})` : '';
  const plan = d.plan.length > 0 ? `: ${d.plan.map((action) => s.escape(action.apply)).join('; ')}` : '';
  const onto = s.particulars ? ` to ${count(record.targets.length, 'container')}${plan}` : '';
  return `fault ${s.code(record.ref)}${kind} recorded, about to be applied${onto}${endsHere ? '; no outcome follows' : ''}`;
}

export function faultAppliedSentence(d: EventMap['fault.applied'], s: Style): string {
  const targets = s.brief ? count(d.targets.length, 'container') : d.targets.map(s.escape).join(', ') || 'no container';
  return `fault ${s.code(d.ref)} (${s.escape(d.kind)}) applied to ${targets} (took ${formatMeasured(d.injectMs)})`;
}

export function faultInjectFailedSentence(d: EventMap['fault.inject-failed'], s: Style): string {
  return `fault ${s.code(d.ref)} (${s.escape(d.kind)}) ${s.paint.bad('could not be applied')}: ${s.escape(d.error)}`;
}

export function faultExpiredSentence(d: EventMap['fault.expired'], s: Style): string {
  const reached = `${s.paint.warn('reached its maximum duration')} of ${formatTarget(d.maxDurationMs)}`;
  const after = s.particulars ? ` after ${formatMeasured(d.appliedForMs)}` : '';
  return `fault ${s.code(d.ref)} (${s.escape(d.kind)}) ${reached}${after}: reverting it while the steps go on`;
}

/** One clause; a revert not verified leaves commands to run by hand, which revertByHand words. */
/**
 * `differencesApart`: leave out what was not given back as it was, for a caller that shows
 * each difference on a line of its own (differenceLines) instead of one long sentence.
 */
export function faultRevertedSentence(d: EventMap['fault.reverted'], s: Style, differencesApart = false): string {
  const { paint } = s;
  const fault = `fault ${s.code(d.ref)}`;
  const problems = d.problems.length > 0 ? `: ${d.problems.map(s.escape).join('; ')}` : '';
  if (!d.revertible && d.done.length === 0) {
    return `${fault} (${s.escape(d.kind)}) ${paint.warn('cannot be reverted automatically')}${s.particulars ? problems : ''}`;
  }
  const differences = d.differences ?? [];
  if (d.verified && differences.length > 0) {
    const tone = notExact(differences).length > 0 ? paint.bad : paint.warn;
    const listed = differences.map((x) => s.escape(differenceText(x))).join('; ');
    return `${fault} reverted, but ${paint.strong(tone('not as it was'))}${differencesApart ? '' : `: ${listed}`}`;
  }
  if (d.verified) {
    const done = s.particulars && d.done.length > 0 ? `: ${d.done.map(s.escape).join('; ')}` : '';
    return `${fault} ${paint.good('reverted and verified')}${done}`;
  }
  return `${fault} reverted, but ${paint.strong(paint.bad('not verified'))}${problems}`;
}

/** What a verified revert did not give back as it was, one line each ("difference: …"). */
export function differenceLines(d: EventMap['fault.reverted'], s: Style): string[] {
  return d.verified ? (d.differences ?? []).map((x) => `difference: ${s.escape(differenceText(x))}`) : [];
}

/** The commands a person must run when a revert could not be verified, one line each. */
export function revertByHand(d: EventMap['fault.reverted']): string[] {
  return d.verified ? [] : d.manual.map((command) => `to finish by hand: ${command}`);
}
