import type { AnyDrillEvent, EventListener, EventMap, Section } from '../../journal/events.js';
import { DrillOutline, stepKey, stepLabel, type StepPlace } from './drill-outline.js';
import {
  abortingText,
  drillStartedText,
  objectiveText,
  phaseText,
  remainingText,
  revertLines,
  steadyText,
  topologyText,
  verdictText,
} from './drill-wording.js';
import { formatOffset } from './format.js';
import {
  breachedText,
  conditionChangedText,
  conditionEndedText,
  faultExpiredText,
  watchingText,
  type FaultMoment,
} from './guard-wording.js';
import { regressionLogText } from '../../sentences/regression-words.js';
import { paintFor } from './paint.js';
import type { Paint } from '../../words/paint.js';
import { ProbeWatch } from './probe-watch.js';
import {
  actionText,
  faultAppliedText,
  faultFailedText,
  faultInjectingText,
  manualAnswerText,
  notifyText,
  sampleNoticeText,
  stepFinishedText,
  waitOutcomeText,
} from './step-wording.js';

interface StepState {
  place: StepPlace;
  startedNs: bigint;
  watch: ProbeWatch;
}

/**
 * The CI log: one line per meaningful event, `<UTC time> +<seconds since start> <text>`.
 * Probe samples are summarised (first sample, ok↔failing changes, a heartbeat at most every
 * 5 s). Every time printed comes from the events, so the same events give the same lines.
 */
export class PlainLog {
  private outline: DrillOutline | undefined;
  private readonly steps = new Map<string, StepState>();
  private current: StepState | undefined;
  private faultsInjected = 0;
  private lastApplied: FaultMoment | undefined;

  constructor(private readonly paint: Paint) {}

  /** The lines one event deserves, already prefixed with its time. */
  linesFor(event: AnyDrillEvent): string[] {
    const prefix = `${this.paint.dim(event.time.toISOString())} ${formatOffset(event.monoNs)}`;
    return this.textsFor(event).map((text) => `${prefix} ${text}`);
  }

  private textsFor(event: AnyDrillEvent): string[] {
    const { paint } = this;
    switch (event.type) {
      case 'drill.started':
        this.outline = new DrillOutline(event.data);
        return [drillStartedText(event.data)];
      case 'topology.resolved':
        return [topologyText(event.data)];
      case 'phase.started':
        return [phaseText(event.data.phase, this.faultsInjected)];
      case 'steady.checked':
        return [steadyText(event.data, paint)];
      case 'step.started':
        return [this.startStep(event.data, event.monoNs)];
      case 'fault.injecting':
        this.faultsInjected += 1;
        return [this.aboutStep(event.data.section, event.data.index, faultInjectingText(event.data))];
      case 'fault.applied':
        this.lastApplied = { ref: event.data.ref, appliedNs: event.monoNs };
        return [this.aboutCurrent(faultAppliedText(event.data))];
      case 'fault.inject-failed':
        return [this.aboutCurrent(faultFailedText(event.data, paint))];
      case 'probe.sample':
        return this.sample(event.data, event.monoNs);
      case 'wait.finished':
        return [this.waitFinished(event.data, event.monoNs)];
      case 'action.finished':
        return [this.aboutStep(event.data.section, event.data.index, actionText(event.data, paint))];
      case 'manual.answered':
        return [this.aboutStep(event.data.section, event.data.index, manualAnswerText(event.data.outcome, paint))];
      case 'notify.sent':
        return [this.aboutStep(event.data.section, event.data.index, notifyText(event.data, paint))];
      case 'step.finished':
        this.current = undefined;
        return [this.aboutStep(event.data.section, event.data.index, stepFinishedText(event.data, paint))];
      case 'objective.evaluated':
        return [objectiveText(event.data, paint, this.objectiveLabel(event.data))];
      case 'drill.aborting':
        return [abortingText(event.data, paint)];
      case 'fault.reverted':
        return revertLines(event.data, paint);
      case 'fault.expired':
        return [faultExpiredText(event.data, paint)];
      case 'stop-condition.watching':
        return [watchingText(event.data)];
      case 'stop-condition.changed':
        return [conditionChangedText(event.data, paint)];
      case 'stop-condition.breached':
        return [breachedText(event.data, event.monoNs, this.lastApplied, paint)];
      case 'stop-condition.ended':
        return [conditionEndedText(event.data)];
      case 'faults.remaining':
        return [remainingText(event.data, paint)];
      case 'regression.checked':
        return [regressionLogText(event.data, paint)];
      case 'drill.finished':
        return [verdictText(event.data, paint)];
      case 'recovery.started':
        return [
          `recovering run ${event.data.runId} on project ${event.data.project}: ${event.data.pending.length} fault(s) left applied (${event.data.pending.join(', ')})`,
        ];
      case 'recovery.finished':
        return [
          event.data.unverified.length > 0
            ? paint.bad(`recovery incomplete: ${event.data.unverified.join(', ')} not verified`)
            : event.data.exitCode === 0
              ? paint.good(`recovered: ${event.data.verified.length} fault(s) reverted and verified`)
              : paint.bad(
                  `recovery incomplete: ${event.data.verified.length} fault(s) reverted and verified, but the run's journals could not be read whole`,
                ),
        ];
    }
  }

  private startStep(data: EventMap['step.started'], atNs: bigint): string {
    const place = this.place(data.section, data.index, data.name);
    const state: StepState = { place, startedNs: atNs, watch: new ProbeWatch(atNs) };
    this.steps.set(stepKey(data.section, data.index), state);
    this.current = state;
    return `${stepLabel(place)}: ${data.describe}`;
  }

  private sample(data: EventMap['probe.sample'], atNs: bigint): string[] {
    const state = this.stepState(data.section, data.index, atNs);
    const notice = state.watch.observe(data, atNs);
    return notice ? [`${stepLabel(state.place)}: ${sampleNoticeText(notice, this.paint)}`] : [];
  }

  private waitFinished(data: EventMap['wait.finished'], atNs: bigint): string {
    const state = this.stepState(data.section, data.index, atNs);
    const text = waitOutcomeText(
      {
        finished: data,
        rtoMs: state.place.outline?.rtoMs,
        waitedMs: Number(atNs - state.startedNs) / 1e6,
        lastSummary: state.watch.last?.summary,
      },
      this.paint,
    );
    return `${stepLabel(state.place)}: ${text}`;
  }

  private objectiveLabel(data: EventMap['objective.evaluated']): string | undefined {
    if (data.scope !== 'step' || data.index === undefined) return undefined;
    const state = this.steps.get(stepKey('steps', data.index)) ?? this.steps.get(stepKey('restore', data.index));
    return stepLabel(state?.place ?? this.place('steps', data.index));
  }

  private aboutStep(section: Section, index: number, text: string): string {
    const state = this.steps.get(stepKey(section, index));
    return `${stepLabel(state?.place ?? this.place(section, index))}: ${text}`;
  }

  private aboutCurrent(text: string): string {
    return this.current ? `${stepLabel(this.current.place)}: ${text}` : text;
  }

  /** The state of a step, made up when its `step.started` was not seen (a late subscriber). */
  private stepState(section: Section, index: number, atNs: bigint): StepState {
    const key = stepKey(section, index);
    let state = this.steps.get(key);
    if (!state) {
      state = { place: this.place(section, index), startedNs: atNs, watch: new ProbeWatch(atNs) };
      this.steps.set(key, state);
    }
    return state;
  }

  private place(section: Section, index: number, name = ''): StepPlace {
    if (this.outline) return this.outline.place(section, index, name);
    return { section, position: index + 1, total: 0, name };
  }
}

/**
 * Subscribes a plain log that hands each finished line (no newline) to `out`.
 * Never throws into the runner: a line that cannot be rendered is replaced by a note.
 */
export function attachPlainLog(subscribe: (listener: EventListener) => void, out: (line: string) => void, opts: { color: boolean }): void {
  const log = new PlainLog(paintFor(opts.color));
  subscribe((event) => {
    let lines: string[];
    try {
      lines = log.linesFor(event);
    } catch (error) {
      lines = [`${event.time.toISOString()} ${formatOffset(event.monoNs)} (${event.type}: could not be shown: ${String(error)})`];
    }
    try {
      for (const line of lines) out(line);
    } catch {
      // The output is gone (closed pipe); the journal still records everything.
    }
  });
}
