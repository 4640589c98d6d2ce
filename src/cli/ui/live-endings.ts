import type { EventMap, StepStatus } from '../../journal/events.js';
import type { StepAction } from '../../playbook/schema.js';
import { formatTarget } from '../../words/time-format.js';
import { count } from '../../words/number-words.js';
import { formatBound, formatMeasured } from '../../words/time-format.js';
import type { SlotEnd, SlotStatus } from './live-slot.js';
import type { Paint } from '../../words/paint.js';
import { faultAppliedSentence, faultInjectFailedSentence } from '../../sentences/fault-sentences.js';
import { manualAnsweredSentence, notifySentSentence } from '../../sentences/step-sentences.js';
import type { Style } from '../../sentences/style.js';

/** What the events said about one step, gathered for its final title. */
export interface StepFacts {
  action: StepAction;
  rtoMs?: number;
  applied?: EventMap['fault.applied'];
  injectFailed?: EventMap['fault.inject-failed'];
  wait?: EventMap['wait.finished'];
  lastSample?: EventMap['probe.sample'];
  result?: EventMap['action.finished'];
  answer?: EventMap['manual.answered']['outcome'];
  notice?: EventMap['notify.sent'];
}

const STATUS_ON_SCREEN: Record<StepStatus, SlotStatus> = {
  passed: 'completed',
  failed: 'failed',
  skipped: 'skipped',
  'not-run': 'skipped',
};

/**
 * "2/5 edge fails over — recovered in 3.26s (±250ms) ✔ objective 15s". A wait's, an action's and
 * a pause's titles are a compact column of figures (as the report's step table is); a fault's, an
 * answer's and an update's are their events' sentences.
 */
export function stepEnd(title: string, finished: EventMap['step.finished'], facts: StepFacts, style: Style): SlotEnd {
  const status = STATUS_ON_SCREEN[finished.status];
  if (finished.status === 'not-run') return { status, title: `${title} — not run` };
  const outcome = outcomeText(finished, facts, style);
  const fallback = finished.error ?? finished.status;
  return { status, title: `${title} — ${outcome ?? fallback}` };
}

function outcomeText(finished: EventMap['step.finished'], facts: StepFacts, style: Style): string | undefined {
  const { paint } = style;
  const took = ` (${formatMeasured(finished.durationMs, 2)})`;
  switch (facts.action) {
    case 'wait':
      return facts.wait ? waitText(facts, finished.durationMs, paint) : undefined;
    case 'inject':
      if (facts.injectFailed) return faultInjectFailedSentence(facts.injectFailed, style);
      return facts.applied ? faultAppliedSentence(facts.applied, style) : undefined;
    case 'run':
      return facts.result ? `${facts.result.summary}${took}` : undefined;
    case 'manual':
      return facts.answer ? `${manualAnsweredSentence({ outcome: facts.answer }, style)}${took}` : undefined;
    case 'notify':
      return facts.notice ? notifySentSentence(facts.notice, style) : undefined;
    case 'pause':
      return finished.status === 'passed' ? `paused ${formatMeasured(finished.durationMs, 2)}` : undefined;
  }
}

function waitText(facts: StepFacts, durationMs: number, paint: Paint): string {
  const wait = facts.wait!;
  const objective = facts.rtoMs === undefined ? '' : objectiveMark(wait.met ? wait.recoveryMs : null, facts.rtoMs, paint);
  if (!wait.met) {
    const last = facts.lastSample ? `, last: ${facts.lastSample.summary}` : '';
    return `not recovered after ${formatMeasured(durationMs, 2)} (${count(wait.samples, 'sample')}${last})${objective}`;
  }
  if (wait.recoveryMs === null || !wait.reference) return `condition held after ${count(wait.samples, 'sample')}${objective}`;
  return `recovered in ${formatMeasured(wait.recoveryMs, 2)} (${formatBound(wait.resolutionMs)})${objective}`;
}

/**
 * Whether a measured recovery meets a step's objective. The measurement is an upper bound (the
 * condition held at or before the sample that saw it), so comparing it with the target never
 * flatters. The runner's `objective.evaluated` stays the authority and is shown too.
 */
function withinObjective(recoveryMs: number | null, rtoMs: number): boolean {
  return recoveryMs !== null && recoveryMs <= rtoMs;
}

function objectiveMark(recoveryMs: number | null, rtoMs: number, paint: Paint): string {
  const mark = withinObjective(recoveryMs, rtoMs) ? paint.good('✔') : paint.bad('✖');
  return ` ${mark} objective ${formatTarget(rtoMs)}`;
}

/** Steady-state checks of one phase, tallied. */
export interface SteadyTally {
  ok: number;
  failing: EventMap['steady.checked'][];
}

export function steadyEnd(title: string, tally: SteadyTally): SlotEnd {
  const total = tally.ok + tally.failing.length;
  if (total === 0) return { status: 'completed', title: `${title} — nothing checked` };
  const first = tally.failing[0];
  if (!first) return { status: 'completed', title: `${title} — ${tally.ok} of ${count(total, 'probe')} ok` };
  return {
    status: 'failed',
    title: `${title} — ${tally.failing.length} of ${count(total, 'probe')} failing: ${first.probe}: ${first.summary}`,
  };
}

/** Reverts of the rollback phase, tallied. */
export interface RevertTally {
  verified: number;
  unverified: number;
  irreversible: number;
}

export function rollbackEnd(title: string, tally: RevertTally): SlotEnd {
  const total = tally.verified + tally.unverified + tally.irreversible;
  if (total === 0) return { status: 'completed', title: `${title} — nothing to revert` };
  const parts = [`${tally.verified} of ${count(total, 'fault')} reverted and verified`];
  if (tally.irreversible > 0) parts.push(`${tally.irreversible} cannot be reverted`);
  if (tally.unverified > 0) parts.push(`${tally.unverified} NOT verified: run "firedrill recover"`);
  return { status: tally.unverified > 0 ? 'failed' : 'completed', title: `${title} — ${parts.join(', ')}` };
}
