import type { EventMap } from '../journal/events.js';
import { breachRuleText } from '../words/breach-rule-text.js';
import { count } from '../words/number-words.js';
import { formatMeasured, formatOffset, formatTarget } from '../words/time-format.js';
import type { Style } from './style.js';

/** Stop conditions in words, one function per event; clauses, as in drill-sentences.ts. */

export function watchingSentence(d: EventMap['stop-condition.watching'], s: Style): string {
  const from = s.particulars ? (d.from === 'start' ? ', from the start of the steps' : ', from the first fault') : '';
  const how = `${s.escape(d.probe)}, every ${formatTarget(d.everyMs)}${from}`;
  return `watching stop condition ${s.quote(d.name)} (${how}): the drill stops if ${s.escape(breachRuleText(d))}`;
}

export function conditionChangedSentence(d: EventMap['stop-condition.changed'], s: Style): string {
  const { paint } = s;
  const state = d.ok ? paint.good(d.sample === 1 ? 'holds' : 'holds again') : paint.strong(paint.bad('is failing'));
  return `stop condition ${s.quote(d.name)} ${state} (${s.escape(d.summary)})`;
}

/** The fault applied most recently before a breach, and how long before it. */
export interface FaultBeforeBreach {
  ref: string;
  sinceAppliedMs: number;
}

/**
 * "stop condition “edge answers” breached — failing for 2.001s without a break (tolerates 2s)"; the
 * terminal adds since when, after which fault, and what the last check saw.
 */
export function breachedSentence(d: EventMap['stop-condition.breached'], s: Style, fault?: FaultBeforeBreach): string {
  const head = `${s.paint.strong(s.paint.bad(`stop condition ${s.quote(d.name)} breached`))} — ${s.escape(d.reason)}`;
  if (!s.particulars) return head;
  const since = `${d.rule === 'tolerate' ? 'failing since' : 'first failure in the window at'} ${formatOffset(d.firstFailureNs / 1e6)}`;
  const afterFault = fault ? `, ${formatMeasured(fault.sinceAppliedMs)} after fault ${s.code(fault.ref)} was applied` : '';
  return `${head}; ${since}${afterFault}; last check: ${s.escape(d.summary)}`;
}

export function conditionEndedSentence(d: EventMap['stop-condition.ended'], s: Style): string {
  const failed = d.failed > 0 ? `, ${d.failed} failed` : '';
  const breached = s.particulars && d.breached ? ', breached' : '';
  return `stopped watching ${s.quote(d.name)} (${count(d.samples, 'check')}${failed}${breached})`;
}
