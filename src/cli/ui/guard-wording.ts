import type { EventMap } from '../../journal/events.js';
import { breachRuleText } from '../../words/breach-rule-text.js';
import { formatMeasured, formatOffset, formatSpan, plural } from './format.js';
import type { Paint } from '../../words/paint.js';

/**
 * Sentences about stop conditions and faults reaching their maximum duration, from event data.
 * Shared by the plain log and the live view.
 */

export function watchingText(data: EventMap['stop-condition.watching']): string {
  const from = data.from === 'start' ? 'from the start of the steps' : 'from the first fault';
  return `watching stop condition "${data.name}" (${data.probe}) every ${formatSpan(data.everyMs)} ${from}: the drill stops if ${breachRuleText(data)}`;
}

export function conditionChangedText(data: EventMap['stop-condition.changed'], paint: Paint): string {
  const state = data.ok ? paint.good(data.sample === 1 ? 'ok' : 'ok again') : paint.bad('FAILING');
  return `stop condition "${data.name}": ${state} (${data.summary})`;
}

/** The fault most recently applied before the breach, with its fault.applied moment. */
export interface FaultMoment {
  ref: string;
  appliedNs: bigint;
}

/**
 * "STOP CONDITION BREACHED: "edge answers": failing for 2.001s without a break (tolerates 2s);
 * failing since +3.210s, 5.250s after fault "region-a" was applied".
 */
export function breachedText(
  data: EventMap['stop-condition.breached'],
  atNs: bigint,
  fault: FaultMoment | undefined,
  paint: Paint,
): string {
  const since = `${data.rule === 'tolerate' ? 'failing since' : 'first failure in the window at'} ${formatOffset(BigInt(data.firstFailureNs))}`;
  const afterFault = fault ? `, ${formatMeasured(Number(atNs - fault.appliedNs) / 1e6)} after fault "${fault.ref}" was applied` : '';
  return `${paint.bad('STOP CONDITION BREACHED')}: "${data.name}": ${data.reason}; ${since}${afterFault}; last check: ${data.summary}`;
}

export function conditionEndedText(data: EventMap['stop-condition.ended']): string {
  const failed = data.failed > 0 ? `, ${data.failed} failed` : '';
  return `stopped watching "${data.name}": ${plural(data.samples, 'check')}${failed}${data.breached ? ', breached' : ''}`;
}

export function faultExpiredText(data: EventMap['fault.expired'], paint: Paint): string {
  return (
    `fault "${data.ref}" (${data.kind}) ${paint.warn('reached its maximum duration')} of ${formatSpan(data.maxDurationMs)} ` +
    `after ${formatMeasured(data.appliedForMs)}: reverting it while the steps go on`
  );
}
