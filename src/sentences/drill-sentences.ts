import type { EventMap, Phase } from '../journal/events.js';
import { count } from '../words/number-words.js';
import { formatBound, formatMeasured, formatTarget } from '../words/time-format.js';
import type { Style } from './style.js';
import { ABORT_CAUSE, VERDICT_LABEL, verdictPaint } from './verdict-words.js';

/**
 * The drill as a whole in words, one function per event: a clause that starts in lower case and
 * ends without a full stop (the report's timeline makes each a sentence, asSentence).
 */

export function drillStartedSentence(d: EventMap['drill.started'], s: Style): string {
  const restore = s.particulars && d.restore.length > 0 ? `, ${count(d.restore.length, 'restore step')}` : '';
  const head = `drill ${s.quote(d.playbook.title)} started against project ${s.code(d.project)}`;
  const clause = `${head}: ${count(d.steps.length, 'step')}${restore}, time limit ${formatTarget(d.timeLimitMs)}`;
  return s.particulars ? `${clause}; run ${d.runId} on ${d.endpoint}` : clause;
}

export function topologySentence(d: EventMap['topology.resolved'], s: Style): string {
  const containers = d.services.reduce((n, service) => n + service.containers.length, 0);
  const found = `found ${count(d.services.length, 'service')} and ${count(containers, 'container')}`;
  if (!s.particulars) return found;
  const regions = Object.entries(d.regions).map(([region, services]) => `${region} (${services.join(', ')})`);
  const where = regions.length > 0 ? `, regions ${regions.join(', ')}` : '';
  return `${found}${where}, ${count(d.networks.length, 'network')}`;
}

const PHASE: Record<Phase, string> = {
  'steady-state-before': 'checking the steady state before injecting anything',
  steps: 'running the steps',
  rollback: 'rolling back: reverting every fault still in effect',
  restore: 'running the restore steps',
  'steady-state-after': 'checking that the steady state returned',
};

export function phaseSentence(d: EventMap['phase.started']): string {
  return PHASE[d.phase];
}

export function steadyCheckedSentence(d: EventMap['steady.checked'], s: Style): string {
  const { paint } = s;
  const attempts = d.attempts > 1 ? `, after ${count(d.attempts, 'attempt')}` : '';
  const held = d.ok ? paint.good('held') : paint.strong(paint.bad('did not hold'));
  return `steady state ${d.phase}: ${s.escape(d.probe)} ${held} (${s.escape(d.summary)}${attempts})`;
}

/**
 * `label` names the step of a step objective (`step 2/5 "edge fails over"`), in place of the
 * objective's name. Only the terminal words the event (the report tells objectives in a table).
 */
export function objectiveSentence(d: EventMap['objective.evaluated'], s: Style, label?: string): string {
  const whose = label ? ` for ${label}` : ` ${s.quote(d.name)}`;
  const resolution = d.resolutionMs === null ? '' : ` (${formatBound(d.resolutionMs)})`;
  const measured =
    d.measuredMs === null
      ? `not measured (${s.escape(d.note ?? 'no measurement')})`
      : `measured ${formatMeasured(d.measuredMs)}${resolution}`;
  const verdict = d.met ? s.paint.good('met') : s.paint.bad('MISSED');
  return `objective${whose}: target ${formatTarget(d.targetMs)}, ${measured}: ${verdict}`;
}

export function abortingSentence(d: EventMap['drill.aborting'], s: Style): string {
  return `${s.paint.strong(s.paint.bad('aborting'))} — ${ABORT_CAUSE[d.cause]}: ${s.escape(d.reason)}`;
}

export function faultsRemainingSentence(d: EventMap['faults.remaining'], s: Style): string {
  return `${s.paint.warn('faults left in place')}: ${d.refs.map(s.code).join(', ')} (${s.escape(d.reason)})`;
}

export function drillFinishedSentence(d: EventMap['drill.finished'], s: Style): string {
  const verdict = s.paint.strong(verdictPaint(d.verdict, s.paint)(VERDICT_LABEL[d.verdict]));
  const clause = `drill finished: ${verdict}, exit code ${d.exitCode} — ${s.escape(d.reason)}`;
  return s.particulars ? `${clause}; it took ${formatMeasured(d.durationMs)}` : clause;
}
