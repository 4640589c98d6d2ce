import type { JournalEntry } from '../journal/entry.js';
import type { EventMap, Section } from '../journal/events.js';
import { FIRST_CONTACT_OBJECTIVE } from '../run/objectives.js';
import { addSample } from './sample-series.js';
import { conditionBreached, conditionChanged, conditionEnded, conditionWatching } from './model-stop-conditions.js';
import {
  declaredObjective,
  emptyModel,
  emptyWait,
  notificationOf,
  runOf,
  steadyCheckOf,
  stepFromOutline,
  topologyOf,
} from './model-parts.js';
import type { DrillModel, FaultModel, ObjectiveModel, StepModel, TimelineItem } from './model-types.js';

/** `everyMs` (the polling interval) is read when the runner records it; older journals lack it. */
type WaitFinished = EventMap['wait.finished'] & { everyMs?: unknown };

export type * from './model-types.js';

/**
 * Folds a journal into a DrillModel. Pure: the same entries give an equal model.
 * Copes with a journal that ends anywhere (no drill.finished → verdict "incomplete") and
 * ignores event types it does not know. The model may share objects with the entries (the
 * timeline holds their data as journaled); neither is mutated by the renderers.
 */
export function buildDrillModel(entries: Iterable<JournalEntry>): DrillModel {
  const fold = new DrillFold();
  for (const entry of entries) fold.add(entry);
  return fold.result();
}

/**
 * The same fold over a stream of entries (readJournalEntries): the journal is never held in
 * memory, only the model, whose probe samples are kept as a bounded series (sample-series.ts).
 */
export async function foldDrillModel(entries: AsyncIterable<JournalEntry>): Promise<DrillModel> {
  const fold = new DrillFold();
  for await (const entry of entries) fold.add(entry);
  return fold.result();
}

class DrillFold {
  private readonly model: DrillModel = emptyModel();
  /** Per fault ref, the latest fault with that ref: later events refer to it. */
  private readonly faultsByRef = new Map<string, FaultModel>();
  /** Per wait step, when the current streak of good samples began. */
  private readonly streakStart = new Map<StepModel, number>();
  private lastAtMs = 0;
  /** The first entry's monotonic time: every offset in the model counts from it. */
  private originNs: number | null = null;

  add(entry: JournalEntry): void {
    this.originNs ??= entry.monoNs;
    const atMs = (entry.monoNs - this.originNs) / 1e6;
    this.model.journal.entries += 1;
    this.model.journal.lastSeq = entry.seq;
    if (!this.apply(entry, atMs)) return;
    this.lastAtMs = atMs;
    if (this.model.startedAt === null) this.model.startedAt = entry.time;
    this.model.endedAt = entry.time;
    if (entry.type !== 'probe.sample' && entry.type !== 'objective.evaluated') {
      this.model.timeline.push({ atMs, type: entry.type, data: entry.data } as TimelineItem);
    }
  }

  result(): DrillModel {
    const model = this.model;
    if (!model.finished) model.durationMs = this.lastAtMs;
    const why = model.finished ? 'the drill stopped before measuring it' : 'the journal ends before it was evaluated';
    for (const objective of model.objectives) if (!objective.evaluated) objective.note ??= why;
    model.objectives.sort((a, b) => objectiveOrder(a) - objectiveOrder(b));
    return model;
  }

  /** Applies one entry; false for a type this version does not know. */
  private apply(entry: JournalEntry, atMs: number): boolean {
    const m = this.model;
    // biome-ignore format: a dispatch table, one event type a line
    switch (entry.type) {
      case 'drill.started': this.started(entry.data); break;
      case 'topology.resolved': m.topology = topologyOf(entry.data); break;
      case 'phase.started': break;
      case 'steady.checked': m.steadyState[entry.data.phase].push(steadyCheckOf(entry.data, atMs)); break;
      case 'step.started': this.stepStarted(entry.data, atMs); break;
      case 'fault.injecting': this.faultInjecting(entry.data, atMs); break;
      case 'fault.applied': this.faultApplied(entry.data, atMs); break;
      case 'fault.inject-failed': this.faultFailed(entry.data); break;
      case 'probe.sample': this.sample(entry.data, atMs); break;
      case 'wait.finished': this.waitFinished(entry.data as WaitFinished); break;
      case 'action.finished': this.step(entry.data.section, entry.data.index).run = runOf(entry.data); break;
      case 'manual.answered': this.step(entry.data.section, entry.data.index).manual = entry.data.outcome; break;
      case 'notify.sent': this.notified(entry.data, atMs); break;
      case 'step.finished': this.stepFinished(entry.data, atMs); break;
      case 'objective.evaluated': this.objective(entry.data); break;
      case 'drill.aborting': m.abort ??= { cause: entry.data.cause, reason: entry.data.reason, atMs }; break;
      case 'fault.reverted': this.faultReverted(entry.data, atMs); break;
      case 'fault.expired': this.faultExpired(entry.data, atMs); break;
      case 'stop-condition.watching': conditionWatching(m, entry.data, atMs); break;
      case 'stop-condition.changed': conditionChanged(m, entry.data, atMs); break;
      case 'stop-condition.breached': conditionBreached(m, entry.data, atMs, (ns) => this.sinceOrigin(ns)); break;
      case 'stop-condition.ended': conditionEnded(m, entry.data, atMs); break;
      case 'faults.remaining': m.remainingFaults = { refs: [...entry.data.refs], reason: entry.data.reason, atMs }; break;
      case 'regression.checked': m.regression = entry.data; break;
      case 'drill.finished': this.finished(entry.data); break;
      default: return false;
    }
    return true;
  }

  private started(data: EventMap['drill.started']): void {
    const m = this.model;
    m.runId = data.runId;
    m.firedrillVersion = data.firedrillVersion;
    m.playbook = data.playbook;
    m.planHash = data.planHash ?? null;
    m.project = data.project;
    m.endpoint = data.endpoint;
    m.timeLimitMs = data.timeLimitMs;
    m.rollbackPolicy = data.rollback;
    m.steps = data.steps.map((outline) => stepFromOutline('steps', outline));
    m.restore = data.restore.map((outline) => stepFromOutline('restore', outline));
    if (data.objectives.rtoMs !== undefined) m.objectives.push(declaredObjective('drill', null, null, data.objectives.rtoMs));
    if (data.objectives.firstContactMs !== undefined) {
      m.objectives.push(declaredObjective('drill', null, null, data.objectives.firstContactMs, FIRST_CONTACT_OBJECTIVE));
    }
    for (const step of m.steps) {
      if (step.rtoMs !== null) m.objectives.push(declaredObjective('step', step.index, step.name, step.rtoMs));
    }
  }

  private stepStarted(data: EventMap['step.started'], atMs: number): void {
    const step = this.step(data.section, data.index);
    Object.assign(step, { name: data.name, action: data.action, describe: data.describe });
    step.status = 'interrupted';
    step.startedAtMs = atMs;
  }

  private stepFinished(data: EventMap['step.finished'], atMs: number): void {
    const step = this.step(data.section, data.index);
    step.status = data.status;
    step.durationMs = data.durationMs;
    step.finishedAtMs = atMs;
    step.error = data.error ?? null;
  }

  private faultInjecting(data: EventMap['fault.injecting'], atMs: number): void {
    const step = this.step(data.section, data.index);
    const fault: FaultModel = {
      ref: data.record.ref,
      kind: data.record.kind,
      section: data.section,
      index: data.index,
      describe: step.describe || null,
      revertible: data.record.revertible,
      targets: data.record.targets.map((t) => ({ name: t.name, service: t.service, containerId: t.containerId })),
      plan: data.plan.map((p) => ({ ...p })),
      state: 'injecting',
      injectingAtMs: atMs,
      appliedAtMs: null,
      injectMs: null,
      injectError: null,
      expiry: null,
      revert: null,
    };
    step.faultRef = fault.ref;
    this.model.faults.push(fault);
    this.faultsByRef.set(fault.ref, fault);
  }

  private faultApplied(data: EventMap['fault.applied'], atMs: number): void {
    const fault = this.faultsByRef.get(data.ref);
    if (!fault) return;
    fault.state = 'applied';
    fault.appliedAtMs = atMs;
    fault.injectMs = data.injectMs;
  }

  private faultFailed(data: EventMap['fault.inject-failed']): void {
    const fault = this.faultsByRef.get(data.ref);
    if (!fault) return;
    fault.state = 'inject-failed';
    fault.injectError = data.error;
  }

  private faultReverted(data: EventMap['fault.reverted'], atMs: number): void {
    const fault = this.faultsByRef.get(data.ref);
    if (!fault) return;
    fault.revert = {
      atMs,
      verified: data.verified,
      done: [...data.done],
      problems: [...data.problems],
      manual: [...data.manual],
      differences: [...(data.differences ?? [])],
    };
  }

  private faultExpired(data: EventMap['fault.expired'], atMs: number): void {
    const fault = this.faultsByRef.get(data.ref);
    if (fault) fault.expiry = { atMs, maxDurationMs: data.maxDurationMs, appliedForMs: data.appliedForMs };
  }

  /** A monoNs time from an event's data, as milliseconds since the drill started. */
  private sinceOrigin(ns: number): number {
    return Math.max(0, (ns - (this.originNs ?? ns)) / 1e6);
  }

  private sample(data: EventMap['probe.sample'], atMs: number): void {
    const step = this.step(data.section, data.index);
    const wait = (step.wait ??= emptyWait());
    // The event is written when the probe answered; the observation began latencyMs earlier.
    const takenAtMs = Math.max(0, atMs - data.latencyMs);
    wait.samples += 1;
    addSample(wait.series, { atMs: takenAtMs, latencyMs: data.latencyMs, ok: data.ok });
    wait.lastSample = { ok: data.ok, summary: data.summary, atMs: takenAtMs };
    if (!data.ok) {
      wait.lastFailure = { summary: data.summary, atMs: takenAtMs, sample: data.sample };
      wait.firstFailure ??= { ...wait.lastFailure, answeredAtMs: atMs };
      return;
    }
    wait.firstOk ??= { atMs: takenAtMs, sample: data.sample };
    if (data.streak <= 1 || !this.streakStart.has(step)) this.streakStart.set(step, takenAtMs);
  }

  private waitFinished(data: WaitFinished): void {
    const step = this.step(data.section, data.index);
    const wait = (step.wait ??= emptyWait());
    wait.met = data.met;
    wait.samples = data.samples;
    wait.reference = data.reference ? { ...data.reference } : null;
    wait.recoveryMs = data.recoveryMs;
    wait.resolutionMs = data.resolutionMs;
    wait.everyMs = typeof data.everyMs === 'number' ? data.everyMs : null;
    wait.heldFromAtMs = data.met ? this.heldFrom(step, data) : null;
    wait.referenceExpired = data.referenceExpired ? { maxDurationMs: data.referenceExpired.maxDurationMs } : null;
  }

  /** Exactly when the reference fault and the recovery time are known; else from the samples. */
  private heldFrom(step: StepModel, data: WaitFinished): number | null {
    const applied = data.reference ? this.faultsByRef.get(data.reference.ref)?.appliedAtMs : undefined;
    const heldAfterMs = data.recoveryMs ?? data.referenceExpired?.heldAfterMs ?? null;
    if (applied != null && heldAfterMs !== null) return applied + heldAfterMs;
    return this.streakStart.get(step) ?? null;
  }

  /** First contact: the first update delivered once a fault is in effect, from the first fault applied. */
  private notified(data: EventMap['notify.sent'], atMs: number): void {
    const m = this.model;
    m.notifications.push(notificationOf(data, atMs));
    if (!data.ok || m.firstContact) return;
    // The model is still being folded (firstAppliedFault reads a finished one): the faults applied up to this entry.
    const applied = m.faults.filter((f) => f.appliedAtMs !== null && f.appliedAtMs <= atMs);
    const first = applied.reduce<FaultModel | undefined>(
      (earliest, f) => (earliest && earliest.appliedAtMs! <= f.appliedAtMs! ? earliest : f),
      undefined,
    );
    if (first) m.firstContact = { afterMs: atMs - first.appliedAtMs!, fromFaultRef: first.ref, atMs };
  }

  private objective(data: EventMap['objective.evaluated']): void {
    const index = data.scope === 'step' ? (data.index ?? null) : null;
    const stepName = index === null ? null : this.step('steps', index).name;
    const evaluated: ObjectiveModel = {
      scope: data.scope,
      index,
      stepName,
      name: data.name,
      targetMs: data.targetMs,
      measuredMs: data.measuredMs,
      resolutionMs: data.resolutionMs,
      met: data.met,
      missedByMs: !data.met && data.measuredMs !== null && data.measuredMs > data.targetMs ? data.measuredMs - data.targetMs : null,
      evaluated: true,
      note: data.note ?? null,
    };
    const objectives = this.model.objectives;
    // A drill has several objectives of its own (recovery time, time to first contact): told apart by name.
    const at = objectives.findIndex((o) => o.scope === data.scope && o.index === index && (o.scope === 'step' || o.name === data.name));
    if (at === -1) objectives.push(evaluated);
    else objectives[at] = evaluated;
  }

  private finished(data: EventMap['drill.finished']): void {
    const m = this.model;
    m.finished = true;
    m.verdict = data.verdict;
    m.exitCode = data.exitCode;
    m.reason = data.reason;
    m.durationMs = data.durationMs;
  }

  /** The step at (section, index); a placeholder when the outline did not list it. */
  private step(section: Section, index: number): StepModel {
    const list = section === 'steps' ? this.model.steps : this.model.restore;
    let step = list.find((s) => s.index === index);
    if (!step) {
      step = stepFromOutline(section, { index, name: `step ${index + 1}`, action: 'run', describe: '' });
      list.push(step);
      list.sort((a, b) => a.index - b.index);
    }
    return step;
  }
}

/** Where an objective stands in a list: the drill's first, then by step. */
export function objectiveOrder(o: Pick<ObjectiveModel, 'scope' | 'index'>): number {
  return o.scope === 'drill' ? -1 : (o.index ?? 0);
}
