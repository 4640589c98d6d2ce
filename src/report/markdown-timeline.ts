import { differenceText } from '../faults/mechanisms/revert-differences.js';
import type { EventMap, Phase, Section } from '../journal/events.js';
import { capitalised, code, count, inline, quoted } from './markdown-text.js';
import type { DrillModel, StepModel, TimelineItem } from './model-types.js';
import { stepNumber } from './report-words.js';
import { ABORT_CAUSE, VERDICT_LABEL } from '../sentences/verdict-words.js';
import { breachRuleText } from '../words/breach-rule-text.js';
import { formatMeasured, formatOffset, formatResolutionInline, formatTarget } from '../words/time-format.js';

const PHASE: Record<Phase, string> = {
  'steady-state-before': 'Checking the steady state before injecting anything.',
  steps: 'Running the steps.',
  rollback: 'Rolling back: reverting every fault still in effect.',
  restore: 'Running the restore steps.',
  'steady-state-after': 'Checking that the steady state returned.',
};

const MANUAL: Record<EventMap['manual.answered']['outcome'], string> = {
  confirmed: 'the operator confirmed',
  declined: 'the operator declined',
  'ci-pass': 'nobody to ask (CI); passed, as the playbook allows',
  'ci-fail': 'nobody to ask (CI); failed, as the playbook says',
  'ci-skip': 'nobody to ask (CI); skipped, as the playbook says',
  'timed-out': 'nobody answered in time',
};

/**
 * The drill's significant events in words, at their time since the drill started. Probe
 * samples are summarised where their wait ends, not listed one by one.
 */
export function renderTimeline(model: DrillModel): string {
  const lines = model.timeline
    .map((item) => ({ atMs: item.atMs, text: describe(item, model) }))
    .filter((line): line is { atMs: number; text: string } => line.text !== undefined)
    .map((line) => `- ${code(formatOffset(line.atMs))} ${line.text}`);
  if (!model.finished) lines.push(`- ${code(formatOffset(model.durationMs))} The journal ends here, without a result.`);
  return lines.length ? lines.join('\n') : 'The journal holds no events.';
}

function describe(item: TimelineItem, model: DrillModel): string | undefined {
  switch (item.type) {
    case 'drill.started': {
      const d = item.data;
      return `Drill ${quoted(d.playbook.title)} started against project ${code(d.project)}: ${count(d.steps.length, 'step')}, time limit ${formatTarget(d.timeLimitMs)}.`;
    }
    case 'topology.resolved': {
      const containers = item.data.services.reduce((n, s) => n + s.containers.length, 0);
      return `Found ${count(item.data.services.length, 'service')} and ${count(containers, 'container')}.`;
    }
    case 'phase.started':
      return PHASE[item.data.phase];
    case 'steady.checked': {
      const d = item.data;
      const attempts = d.attempts > 1 ? `, after ${count(d.attempts, 'attempt')}` : '';
      return `Steady state ${d.phase}: ${inline(d.probe)} ${d.ok ? 'held' : '**did not hold**'} (${inline(d.summary)}${attempts}).`;
    }
    case 'step.started':
      return `${stepLabel(model, item.data.section, item.data.index)} started: ${inline(item.data.describe)}.`;
    case 'fault.injecting': {
      const fault = model.faults.find((f) => f.ref === item.data.record.ref && f.state === 'injecting');
      return fault ? `Fault ${code(fault.ref)} recorded, about to be applied; no outcome follows.` : undefined;
    }
    case 'fault.applied': {
      const d = item.data;
      return `Fault ${code(d.ref)} (${inline(d.kind)}) applied to ${d.targets.map(inline).join(', ') || 'no container'} (took ${formatMeasured(d.injectMs)}).`;
    }
    case 'fault.inject-failed':
      return `Fault ${code(item.data.ref)} (${inline(item.data.kind)}) could not be applied: ${inline(item.data.error)}.`;
    case 'wait.finished':
      return describeWait(model, item.data);
    case 'action.finished': {
      const d = item.data;
      return `${stepLabel(model, d.section, d.index)}: ${d.ok ? 'succeeded' : '**failed**'} (${inline(d.summary)}).`;
    }
    case 'manual.answered':
      return `${stepLabel(model, item.data.section, item.data.index)}: ${MANUAL[item.data.outcome]}.`;
    case 'step.finished': {
      const d = item.data;
      const error = d.error ? `: ${inline(d.error)}` : '';
      if (d.status === 'not-run') return `${stepLabel(model, d.section, d.index)} was not run.`;
      return `${stepLabel(model, d.section, d.index)} ${d.status} after ${formatMeasured(d.durationMs)}${error}.`;
    }
    case 'drill.aborting':
      return `**Aborting** — ${ABORT_CAUSE[item.data.cause]}: ${inline(item.data.reason)}.`;
    case 'fault.reverted':
      return describeRevert(item.data);
    case 'fault.expired': {
      const d = item.data;
      return `Fault ${code(d.ref)} (${inline(d.kind)}) reached its maximum duration of ${formatTarget(d.maxDurationMs)}: reverting it while the steps go on.`;
    }
    case 'stop-condition.watching': {
      const d = item.data;
      return `Watching stop condition ${quoted(d.name)} (${inline(d.probe)}, every ${formatTarget(d.everyMs)}): the drill stops if ${inline(breachRuleText(d))}.`;
    }
    case 'stop-condition.changed': {
      const d = item.data;
      const state = d.ok ? (d.sample === 1 ? 'holds' : 'holds again') : '**is failing**';
      return `Stop condition ${quoted(d.name)} ${state} (${inline(d.summary)}).`;
    }
    case 'stop-condition.breached': {
      const d = item.data;
      return `**Stop condition ${quoted(d.name)} breached** — ${inline(d.reason)}.`;
    }
    case 'stop-condition.ended': {
      const d = item.data;
      const failed = d.failed > 0 ? `, ${d.failed} failed` : '';
      return `Stopped watching ${quoted(d.name)} (${count(d.samples, 'check')}${failed}).`;
    }
    case 'notify.sent': {
      const d = item.data;
      const outcome = d.ok ? 'was posted' : `**was not posted** (${inline(d.error ?? 'no reason recorded')})`;
      return `${stepLabel(model, d.section, d.index)}: the customer update “${capitalised(d.status)}: ${inline(d.message)}” ${outcome}.`;
    }
    case 'regression.checked': {
      const d = item.data;
      if (d.baselineRunId === null) return `Regression check: nothing to compare with (${inline(d.reason)}).`;
      const found = d.regressed > 0 ? `**${count(d.regressed, 'objective')} regressed**` : 'no objective regressed';
      return `Regression check against run ${code(d.baselineRunId)}: ${found} beyond ${d.maxRegressionPct}%.`;
    }
    case 'faults.remaining':
      return `Faults left in place: ${item.data.refs.map(code).join(', ')} (${inline(item.data.reason)}).`;
    case 'drill.finished': {
      const d = item.data;
      return `Drill finished: **${VERDICT_LABEL[d.verdict]}**, exit code ${d.exitCode} — ${inline(d.reason)}.`;
    }
  }
}

function describeWait(model: DrillModel, d: EventMap['wait.finished']): string {
  const step = findStep(model, d.section, d.index);
  const wait = step?.wait;
  const parts = [count(d.samples, 'sample')];
  const firstOk = wait?.firstOk ?? null;
  const failedAfterFirstOk = firstOk !== null && (wait?.lastFailure?.sample ?? 0) > firstOk.sample;
  if (firstOk && failedAfterFirstOk) parts.push(`first healthy at ${formatOffset(firstOk.atMs)}, then failing again`);
  if (d.met && wait?.heldFromAtMs != null) parts.push(`healthy from ${formatOffset(wait.heldFromAtMs)}`);
  if (!d.met && firstOk && !failedAfterFirstOk) parts.push(`healthy from ${formatOffset(firstOk.atMs)}, but not for long enough`);
  if (!d.met) parts.push('**did not hold** before the wait ended');
  if (d.met && d.reference && d.referenceExpired) {
    parts.push(
      `only after fault ${code(d.reference.ref)} was reverted at its maximum duration of ${formatTarget(d.referenceExpired.maxDurationMs)}, so no recovery time`,
    );
  }
  if (d.met && d.reference && d.recoveryMs !== null) {
    parts.push(
      `recovered ${formatMeasured(d.recoveryMs)} after fault ${code(d.reference.ref)} was applied (${formatResolutionInline(d.resolutionMs, wait?.everyMs ?? null)})`,
    );
  }
  return `${stepLabel(model, d.section, d.index)}: ${parts.join('; ')}.`;
}

function describeRevert(d: EventMap['fault.reverted']): string {
  if (!d.revertible && d.done.length === 0) return `Fault ${code(d.ref)} (${inline(d.kind)}) cannot be reverted automatically.`;
  const problems = d.problems.length ? `: ${d.problems.map(inline).join('; ')}` : '';
  const differences = d.differences ?? [];
  if (d.verified && differences.length > 0)
    return `Fault ${code(d.ref)} reverted, but **not as it was**: ${differences.map((x) => inline(differenceText(x))).join('; ')}.`;
  return d.verified ? `Fault ${code(d.ref)} reverted and verified.` : `Fault ${code(d.ref)} reverted, but **not verified**${problems}.`;
}

function stepLabel(model: DrillModel, section: Section, index: number): string {
  const step = findStep(model, section, index);
  const label = capitalised(stepNumber({ section, index }));
  return step ? `${label} ${quoted(step.name)}` : label;
}

function findStep(model: DrillModel, section: Section, index: number): StepModel | undefined {
  return (section === 'steps' ? model.steps : model.restore).find((s) => s.index === index);
}
