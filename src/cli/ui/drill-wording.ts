import { differenceText, notExact } from '../../faults/mechanisms/revert-differences.js';
import type { EventMap, Phase } from '../../journal/events.js';
import { formatBound, formatMeasured, formatSpan, plural } from './format.js';
import { paintVerdict } from '../../sentences/verdict-words.js';
import type { Paint } from '../../words/paint.js';

/** Sentences about the drill as a whole, from event data. Shared by the plain log and the live view. */

export function drillStartedText(data: EventMap['drill.started']): string {
  const restore = data.restore.length > 0 ? `, ${plural(data.restore.length, 'restore step')}` : '';
  return (
    `drill "${data.playbook.title}" (${data.playbook.name}) started on project ${data.project} at ${data.endpoint}: ` +
    `${plural(data.steps.length, 'step')}${restore}, time limit ${formatSpan(data.timeLimitMs)}, run ${data.runId}`
  );
}

export function topologyText(data: EventMap['topology.resolved']): string {
  const containers = data.services.reduce((sum, service) => sum + service.containers.length, 0);
  const regions = Object.entries(data.regions).map(([region, services]) => `${region} (${services.join(', ')})`);
  const regionText = regions.length > 0 ? `, regions ${regions.join(', ')}` : '';
  return (
    `topology: ${plural(data.services.length, 'service')}, ${plural(containers, 'container')}` +
    `${regionText}, ${plural(data.networks.length, 'network')}`
  );
}

/** `faultsInjected` counts faults announced so far; it only matters for the rollback phase. */
export function phaseText(phase: Phase, faultsInjected: number): string {
  switch (phase) {
    case 'steady-state-before':
      return 'checking the steady state before injecting anything';
    case 'steps':
      return 'running the steps';
    case 'rollback':
      return faultsInjected > 0 ? `rolling back ${plural(faultsInjected, 'fault')}` : 'rolling back: no fault was injected';
    case 'restore':
      return 'running the restore steps';
    case 'steady-state-after':
      return 'checking that the steady state has returned';
  }
}

export function steadyText(data: EventMap['steady.checked'], paint: Paint): string {
  const state = data.ok ? paint.good('ok') : paint.bad('FAILING');
  const attempts = data.attempts > 1 ? `, ${plural(data.attempts, 'attempt')}` : '';
  return `steady state ${data.phase}: ${data.probe}: ${state} (${data.summary}${attempts})`;
}

/** `label` names the step of a step objective (`step 2/5 "edge fails over"`), in place of the objective's name. */
export function objectiveText(data: EventMap['objective.evaluated'], paint: Paint, label?: string): string {
  const whose = label ? ` for ${label}` : ` "${data.name}"`;
  const resolution = data.resolutionMs === null ? '' : ` (${formatBound(data.resolutionMs)})`;
  const measured =
    data.measuredMs === null
      ? `not measured (${data.note ?? 'no measurement'})`
      : `measured ${formatMeasured(data.measuredMs)}${resolution}`;
  const verdict = data.met ? paint.good('met') : paint.bad('MISSED');
  return `objective${whose}: target ${formatSpan(data.targetMs)}, ${measured}: ${verdict}`;
}

export function abortingText(data: EventMap['drill.aborting'], paint: Paint): string {
  return `${paint.bad('aborting')} (${data.cause}): ${data.reason}`;
}

/** One line, plus one per command a person must run when the revert could not be verified. */
export function revertLines(data: EventMap['fault.reverted'], paint: Paint): string[] {
  const fault = `fault "${data.ref}" (${data.kind})`;
  if (data.verified) {
    const done = data.done.length > 0 ? `: ${data.done.join('; ')}` : '';
    const differences = data.differences ?? [];
    if (differences.length > 0) {
      const notAsItWas = notExact(differences).length > 0 ? paint.bad('not as it was') : paint.warn('not as it was');
      return [
        `reverted ${fault}, undone (checked) but ${notAsItWas}${done}`,
        ...differences.map((d) => `  difference: ${differenceText(d)}`),
      ];
    }
    return [`reverted ${fault}, ${paint.good('verified')}${done}`];
  }
  const problems = data.problems.length > 0 ? `: ${data.problems.join('; ')}` : '';
  const head = data.revertible
    ? `${fault} ${paint.bad('NOT verified as reverted')}${problems}`
    : `${fault} ${paint.warn('cannot be reverted')}${problems}`;
  return [head, ...data.manual.map((command) => `  to finish by hand: ${command}`)];
}

export function remainingText(data: EventMap['faults.remaining'], paint: Paint): string {
  const refs = data.refs.map((ref) => `"${ref}"`).join(', ');
  return `${paint.warn('faults left in place')}: ${refs} (${data.reason})`;
}

export function verdictText(data: EventMap['drill.finished'], paint: Paint): string {
  return `verdict: ${paintVerdict(data.verdict, paint)} — ${data.reason} (exit ${data.exitCode}, ${formatMeasured(data.durationMs)})`;
}
