import type { EventMap, Section } from '../journal/events.js';
import {
  abortingSentence,
  drillFinishedSentence,
  drillStartedSentence,
  faultsRemainingSentence,
  phaseSentence,
  steadyCheckedSentence,
  topologySentence,
} from '../sentences/drill-sentences.js';
import {
  faultAppliedSentence,
  faultExpiredSentence,
  faultInjectFailedSentence,
  faultInjectingSentence,
  faultRevertedSentence,
} from '../sentences/fault-sentences.js';
import { breachedSentence, conditionChangedSentence, conditionEndedSentence, watchingSentence } from '../sentences/guard-sentences.js';
import { regressionCheckedSentence } from '../sentences/regression-words.js';
import {
  actionFinishedSentence,
  manualAnsweredSentence,
  notifySentSentence,
  stepFinishedSentence,
  stepStartedSentence,
  waitFinishedSentence,
  type WaitSeen,
} from '../sentences/step-sentences.js';
import { asSentence, MARKDOWN_STYLE } from '../sentences/style.js';
import { capitalised, code, quoted } from '../words/markdown-text.js';
import type { DrillModel, StepModel, TimelineItem } from './model-types.js';
import { stepNumber } from './report-words.js';
import { formatOffset } from '../words/time-format.js';

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

/** A timeline item in words: the event's own sentence (sentences/), with the report's step labels. */
function describe(item: TimelineItem, model: DrillModel): string | undefined {
  const clause = clauseOf(item, model);
  return clause === undefined ? undefined : asSentence(clause);
}

function clauseOf(item: TimelineItem, model: DrillModel): string | undefined {
  const s = MARKDOWN_STYLE;
  switch (item.type) {
    case 'drill.started':
      return drillStartedSentence(item.data, s);
    case 'topology.resolved':
      return topologySentence(item.data, s);
    case 'phase.started':
      return phaseSentence(item.data);
    case 'steady.checked':
      return steadyCheckedSentence(item.data, s);
    case 'step.started':
      return stepStartedSentence(stepLabel(model, item.data.section, item.data.index), item.data, s);
    case 'fault.injecting': {
      const fault = model.faults.find((f) => f.ref === item.data.record.ref && f.state === 'injecting');
      return fault ? faultInjectingSentence(item.data, s, true) : undefined;
    }
    case 'fault.applied':
      return faultAppliedSentence(item.data, s);
    case 'fault.inject-failed':
      return faultInjectFailedSentence(item.data, s);
    case 'wait.finished':
      return `${stepLabel(model, item.data.section, item.data.index)}: ${waitFinishedSentence(item.data, waitSeen(model, item.data), s)}`;
    case 'action.finished':
      return `${stepLabel(model, item.data.section, item.data.index)}: ${actionFinishedSentence(item.data, s)}`;
    case 'manual.answered':
      return `${stepLabel(model, item.data.section, item.data.index)}: ${manualAnsweredSentence(item.data, s)}`;
    case 'step.finished':
      return stepFinishedSentence(stepLabel(model, item.data.section, item.data.index), item.data, s);
    case 'drill.aborting':
      return abortingSentence(item.data, s);
    case 'fault.reverted':
      return faultRevertedSentence(item.data, s);
    case 'fault.expired':
      return faultExpiredSentence(item.data, s);
    case 'stop-condition.watching':
      return watchingSentence(item.data, s);
    case 'stop-condition.changed':
      return conditionChangedSentence(item.data, s);
    case 'stop-condition.breached':
      return breachedSentence(item.data, s);
    case 'stop-condition.ended':
      return conditionEndedSentence(item.data, s);
    case 'notify.sent':
      return `${stepLabel(model, item.data.section, item.data.index)}: ${notifySentSentence(item.data, s)}`;
    case 'regression.checked':
      return regressionCheckedSentence(item.data, s);
    case 'faults.remaining':
      return faultsRemainingSentence(item.data, s);
    case 'drill.finished':
      return drillFinishedSentence(item.data, s);
    // A recovery's events are in its own journal, which no report reads.
    case 'recovery.started':
    case 'recovery.finished':
      return undefined;
  }
}

/** What the report's model saw of a wait's samples. */
function waitSeen(model: DrillModel, d: EventMap['wait.finished']): WaitSeen {
  const wait = findStep(model, d.section, d.index)?.wait;
  return {
    firstOk: wait?.firstOk ?? null,
    lastFailureSample: wait?.lastFailure?.sample ?? null,
    heldFromAtMs: wait?.heldFromAtMs ?? null,
    everyMs: wait?.everyMs ?? null,
  };
}

function stepLabel(model: DrillModel, section: Section, index: number): string {
  const step = findStep(model, section, index);
  const label = capitalised(stepNumber({ section, index }));
  return step ? `${label} ${quoted(step.name)}` : label;
}

function findStep(model: DrillModel, section: Section, index: number): StepModel | undefined {
  return (section === 'steps' ? model.steps : model.restore).find((s) => s.index === index);
}
