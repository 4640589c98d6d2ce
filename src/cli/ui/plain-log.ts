import type { AnyDrillEvent, EventListener, EventMap, Section } from '../../journal/events.js';
import {
  abortingSentence,
  drillFinishedSentence,
  drillStartedSentence,
  faultsRemainingSentence,
  objectiveSentence,
  phaseSentence,
  steadyCheckedSentence,
  topologySentence,
} from '../../sentences/drill-sentences.js';
import {
  faultAppliedSentence,
  faultExpiredSentence,
  faultInjectFailedSentence,
  faultInjectingSentence,
  differenceLines,
  faultRevertedSentence,
  revertByHand,
} from '../../sentences/fault-sentences.js';
import { breachedSentence, conditionChangedSentence, conditionEndedSentence, watchingSentence } from '../../sentences/guard-sentences.js';
import { recoveryFinishedSentence, recoveryStartedSentence } from '../../sentences/recovery-sentences.js';
import { regressionCheckedSentence } from '../../sentences/regression-words.js';
import {
  actionFinishedSentence,
  manualAnsweredSentence,
  notifySentSentence,
  probeSampleSentence,
  stepFinishedSentence,
  stepStartedSentence,
  waitFinishedSentence,
} from '../../sentences/step-sentences.js';
import type { Style } from '../../sentences/style.js';
import { DrillOutline, stepKey, stepLabel, type StepPlace } from './drill-outline.js';
import { formatOffset } from './format.js';
import { terminalStyleFor } from './paint.js';
import { ProbeWatch } from './probe-watch.js';

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
  /** When each fault took effect (ns on the drill's clock), for a breach and a wait's recovery. */
  private readonly appliedNs = new Map<string, bigint>();
  private lastApplied: string | undefined;

  constructor(private readonly style: Style) {}

  /** The lines one event deserves, already prefixed with its time. */
  linesFor(event: AnyDrillEvent): string[] {
    const prefix = `${this.style.paint.dim(event.time.toISOString())} ${formatOffset(event.monoNs)}`;
    return this.textsFor(event).map((text) => `${prefix} ${text}`);
  }

  /** Each event's own sentence (sentences/); the log adds the step's label and the time. */
  private textsFor(event: AnyDrillEvent): string[] {
    const { style } = this;
    switch (event.type) {
      case 'drill.started':
        this.outline = new DrillOutline(event.data);
        return [drillStartedSentence(event.data, style)];
      case 'topology.resolved':
        return [topologySentence(event.data, style)];
      case 'phase.started':
        return [phaseSentence(event.data)];
      case 'steady.checked':
        return [steadyCheckedSentence(event.data, style)];
      case 'step.started':
        return [this.startStep(event.data, event.monoNs)];
      case 'fault.injecting':
        return [this.aboutStep(event.data.section, event.data.index, faultInjectingSentence(event.data, style))];
      case 'fault.applied':
        this.appliedNs.set(event.data.ref, event.monoNs);
        this.lastApplied = event.data.ref;
        return [this.aboutCurrent(faultAppliedSentence(event.data, style))];
      case 'fault.inject-failed':
        return [this.aboutCurrent(faultInjectFailedSentence(event.data, style))];
      case 'probe.sample':
        return this.sample(event.data, event.monoNs);
      case 'wait.finished':
        return [this.waitFinished(event.data, event.monoNs)];
      case 'action.finished':
        return [this.aboutStep(event.data.section, event.data.index, actionFinishedSentence(event.data, style))];
      case 'manual.answered':
        return [this.aboutStep(event.data.section, event.data.index, manualAnsweredSentence(event.data, style))];
      case 'notify.sent':
        return [this.aboutStep(event.data.section, event.data.index, notifySentSentence(event.data, style))];
      case 'step.finished': {
        this.current = undefined;
        const { section, index } = event.data;
        return [stepFinishedSentence(this.labelOf(section, index), event.data, style)];
      }
      case 'objective.evaluated':
        return [objectiveSentence(event.data, style, this.objectiveLabel(event.data))];
      case 'drill.aborting':
        return [abortingSentence(event.data, style)];
      case 'fault.reverted':
        return [
          faultRevertedSentence(event.data, style, true),
          ...[...differenceLines(event.data, style), ...revertByHand(event.data)].map((line) => `  ${line}`),
        ];
      case 'fault.expired':
        return [faultExpiredSentence(event.data, style)];
      case 'stop-condition.watching':
        return [watchingSentence(event.data, style)];
      case 'stop-condition.changed':
        return [conditionChangedSentence(event.data, style)];
      case 'stop-condition.breached':
        return [breachedSentence(event.data, style, this.faultBefore(event.monoNs))];
      case 'stop-condition.ended':
        return [conditionEndedSentence(event.data, style)];
      case 'faults.remaining':
        return [faultsRemainingSentence(event.data, style)];
      case 'regression.checked':
        return [regressionCheckedSentence(event.data, style)];
      case 'drill.finished':
        return [drillFinishedSentence(event.data, style)];
      case 'recovery.started':
        return [recoveryStartedSentence(event.data, style)];
      case 'recovery.finished':
        return [recoveryFinishedSentence(event.data, style)];
    }
  }

  private faultBefore(atNs: bigint): { ref: string; sinceAppliedMs: number } | undefined {
    const ref = this.lastApplied;
    const appliedNs = ref === undefined ? undefined : this.appliedNs.get(ref);
    return ref === undefined || appliedNs === undefined ? undefined : { ref, sinceAppliedMs: Number(atNs - appliedNs) / 1e6 };
  }

  private startStep(data: EventMap['step.started'], atNs: bigint): string {
    const place = this.place(data.section, data.index, data.name);
    // A wait's probe may have been sampling since its fault was applied: its watch goes on.
    const watch = this.steps.get(stepKey(data.section, data.index))?.watch ?? new ProbeWatch(atNs);
    const state: StepState = { place, startedNs: atNs, watch };
    this.steps.set(stepKey(data.section, data.index), state);
    this.current = state;
    return stepStartedSentence(stepLabel(place), data, this.style);
  }

  private sample(data: EventMap['probe.sample'], atNs: bigint): string[] {
    const state = this.stepState(data.section, data.index, atNs);
    const notice = state.watch.observe(data, atNs);
    if (!notice) return [];
    const samples = notice.kind === 'heartbeat' ? notice.samples : state.watch.samples;
    return [`${stepLabel(state.place)}: ${probeSampleSentence(data, notice.kind, samples, this.style)}`];
  }

  private waitFinished(data: EventMap['wait.finished'], atNs: bigint): string {
    const { watch, place } = this.stepState(data.section, data.index, atNs);
    const seen = {
      firstOk: watch.firstOk,
      lastFailureSample: watch.lastFailureSample,
      heldFromAtMs: data.met ? this.heldFrom(data, watch) : null,
      everyMs: data.everyMs,
      ...(watch.last ? { lastSummary: watch.last.summary } : {}),
    };
    return `${stepLabel(place)}: ${waitFinishedSentence(data, seen, this.style)}`;
  }

  /** As the report's model places it: from the reference fault and the time the runner measured, else where the streak began. */
  private heldFrom(data: EventMap['wait.finished'], watch: ProbeWatch): number | null {
    const appliedNs = data.reference ? this.appliedNs.get(data.reference.ref) : undefined;
    const heldAfterMs = data.recoveryMs ?? data.referenceExpired?.heldAfterMs ?? null;
    if (appliedNs !== undefined && heldAfterMs !== null) return Number(appliedNs) / 1e6 + heldAfterMs;
    return watch.streakFromMs;
  }

  private objectiveLabel(data: EventMap['objective.evaluated']): string | undefined {
    if (data.scope !== 'step' || data.index === undefined) return undefined;
    const state = this.steps.get(stepKey('steps', data.index)) ?? this.steps.get(stepKey('restore', data.index));
    return stepLabel(state?.place ?? this.place('steps', data.index));
  }

  private aboutStep(section: Section, index: number, text: string): string {
    return `${this.labelOf(section, index)}: ${text}`;
  }

  private labelOf(section: Section, index: number): string {
    const state = this.steps.get(stepKey(section, index));
    return stepLabel(state?.place ?? this.place(section, index));
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
  const log = new PlainLog(terminalStyleFor(opts.color));
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
