import type { AnyDrillEvent, EventMap, Phase } from '../../journal/events.js';
import { abortingSentence, faultsRemainingSentence, phaseSentence, steadyCheckedSentence } from '../../sentences/drill-sentences.js';
import {
  faultAppliedSentence,
  faultExpiredSentence,
  faultInjectFailedSentence,
  faultInjectingSentence,
  faultRevertedSentence,
} from '../../sentences/fault-sentences.js';
import { breachedSentence, conditionChangedSentence } from '../../sentences/guard-sentences.js';
import { briefStyle, type Style } from '../../sentences/style.js';
import { DrillOutline, stepKey } from './drill-outline.js';
import { count } from '../../words/number-words.js';
import { rollbackEnd, steadyEnd, stepEnd, type RevertTally, type StepFacts, type SteadyTally } from './live-endings.js';
import { LiveSlot, type SlotEnd } from './live-slot.js';
import { ProbeWatch } from './probe-watch.js';

const STEADY_BEFORE = 'phase:steady-state-before';
const ROLLBACK = 'phase:rollback';
const STEADY_AFTER = 'phase:steady-state-after';

/**
 * The live view's state: one slot per phase and step, in the order the runner goes through
 * them, fed by events. Slots run one after another (as listr runs them), so whenever an event
 * opens a slot, every earlier slot still open is ended: a phase by what it saw, a step that
 * never started as "not run". `summary` holds the lines printed under the finished frame:
 * why the drill was aborted and what a person must finish by hand. Objectives and the verdict
 * are left to the CLI's closing summary, which follows.
 */
export class LiveDrillModel {
  readonly slots: LiveSlot[] = [];
  readonly summary: string[] = [];
  private readonly outline: DrillOutline;
  private readonly facts = new Map<string, StepFacts>();
  private readonly watches = new Map<string, ProbeWatch>();
  private readonly steady: Record<'before' | 'after', SteadyTally> = { before: { ok: 0, failing: [] }, after: { ok: 0, failing: [] } };
  private readonly reverts: RevertTally = { verified: 0, unverified: 0, irreversible: 0 };
  private readonly manualCommands: string[] = [];
  private current: string | undefined;
  private faultsInjected = 0;
  /** The fault applied last, and when (ns on the drill's clock): a breach says how long after it came. */
  private lastApplied: { ref: string; appliedNs: bigint } | undefined;
  finished = false;

  constructor(
    started: EventMap['drill.started'],
    private readonly style: Style,
    private readonly now: () => number,
  ) {
    this.outline = new DrillOutline(started);
    if (started.steadyState.length > 0) this.addSlot(STEADY_BEFORE, 'Steady state before');
    for (const step of started.steps) this.addStepSlot('steps', step.index, step.name);
    this.addSlot(ROLLBACK, 'Rollback');
    for (const step of started.restore) this.addStepSlot('restore', step.index, step.name);
    if (started.steadyState.length > 0) this.addSlot(STEADY_AFTER, 'Steady state after');
  }

  handle(event: AnyDrillEvent): void {
    switch (event.type) {
      case 'phase.started':
        return this.phaseStarted(event.data.phase);
      case 'steady.checked':
        return this.steadyChecked(event.data);
      case 'step.started':
        return this.stepStarted(event.data, event.monoNs);
      case 'fault.injecting': {
        const { section, index } = event.data;
        this.faultsInjected += 1;
        return this.detail(stepKey(section, index), faultInjectingSentence(event.data, this.style));
      }
      case 'fault.applied':
        this.lastApplied = { ref: event.data.ref, appliedNs: event.monoNs };
        return this.factAboutCurrent({ applied: event.data }, faultAppliedSentence(event.data, this.style));
      case 'fault.expired':
        return this.aboutCurrent(faultExpiredSentence(event.data, this.style));
      case 'stop-condition.changed':
        // A failing condition is worth a glance; it holding again shows as the next sample replaces it.
        return event.data.ok ? undefined : this.aboutCurrent(conditionChangedSentence(event.data, this.style));
      case 'stop-condition.breached': {
        const last = this.lastApplied;
        const fault = last && { ref: last.ref, sinceAppliedMs: Number(event.monoNs - last.appliedNs) / 1e6 };
        const text = breachedSentence(event.data, this.style, fault);
        this.summary.push(text);
        return this.aboutCurrent(text);
      }
      case 'fault.inject-failed':
        return this.factAboutCurrent({ injectFailed: event.data }, faultInjectFailedSentence(event.data, this.style));
      case 'probe.sample':
        return this.sampled(event.data, event.monoNs);
      case 'wait.finished':
        return this.addFacts(stepKey(event.data.section, event.data.index), { wait: event.data });
      case 'action.finished':
        return this.addFacts(stepKey(event.data.section, event.data.index), { result: event.data });
      case 'manual.answered':
        return this.addFacts(stepKey(event.data.section, event.data.index), { answer: event.data.outcome });
      case 'notify.sent':
        return this.addFacts(stepKey(event.data.section, event.data.index), { notice: event.data });
      case 'step.finished':
        return this.stepFinished(event.data);
      case 'drill.aborting':
        // A failed step is already on screen, a breached stop condition in the summary; other causes (signal, time limit…) are not.
        if (event.data.cause !== 'step-failed' && event.data.cause !== 'stop-condition')
          this.summary.push(abortingSentence(event.data, this.style));
        if (this.current) this.detail(this.current, abortingSentence(event.data, this.style));
        return;
      case 'fault.reverted':
        return this.reverted(event.data);
      case 'faults.remaining':
        return this.remaining(event.data);
      case 'drill.finished':
        return this.drillFinished();
      default:
        return;
    }
  }

  /** Refreshes the elapsed time of whatever is running. */
  tick(): void {
    for (const slot of this.slots) slot.tick();
  }

  /** Ends every slot still open: at drill.finished, or when the drill stopped without one. */
  finishAll(): void {
    this.endBefore(this.slots.length);
    this.finished = true;
  }

  private phaseStarted(phase: Phase): void {
    if (phase === 'steady-state-before') this.open(STEADY_BEFORE, phaseSentence({ phase }));
    else if (phase === 'rollback') this.open(ROLLBACK, phaseSentence({ phase }));
    else if (phase === 'steady-state-after') this.open(STEADY_AFTER, phaseSentence({ phase }));
    else this.endBefore(this.firstSlotOf(phase === 'steps' ? 'steps:' : 'restore:'));
  }

  private steadyChecked(data: EventMap['steady.checked']): void {
    const tally = this.steady[data.phase];
    if (data.ok) tally.ok += 1;
    else tally.failing.push(data);
    this.detail(data.phase === 'before' ? STEADY_BEFORE : STEADY_AFTER, steadyCheckedSentence(data, this.style));
  }

  private stepStarted(data: EventMap['step.started'], atNs: bigint): void {
    const key = stepKey(data.section, data.index);
    const rtoMs = this.outline.place(data.section, data.index).outline?.rtoMs;
    // A wait's probe may have been sampling since its fault was applied: what it saw is kept.
    this.facts.set(key, { ...this.facts.get(key), action: data.action, rtoMs });
    if (!this.watches.has(key)) this.watches.set(key, new ProbeWatch(atNs));
    this.current = key;
    this.open(key, data.describe);
  }

  private sampled(data: EventMap['probe.sample'], atNs: bigint): void {
    const key = stepKey(data.section, data.index);
    const watch = this.watches.get(key) ?? new ProbeWatch(atNs);
    this.watches.set(key, watch);
    watch.observe(data, atNs);
    if (!this.facts.has(key)) this.facts.set(key, { action: 'wait' });
    this.addFacts(key, { lastSample: data });
    // A gauge, not a sentence: the state and the count replace each other as samples come.
    const state = data.ok ? this.style.paint.good('ok') : this.style.paint.bad('failing');
    this.detail(key, `probe ${state}: ${data.summary} · ${count(watch.samples, 'sample')}`);
  }

  private stepFinished(data: EventMap['step.finished']): void {
    const key = stepKey(data.section, data.index);
    const slot = this.slot(key);
    if (!slot) return;
    const facts = this.facts.get(key) ?? { action: 'run' };
    this.endBefore(this.slots.indexOf(slot));
    if (data.status !== 'not-run') slot.start();
    slot.finish(stepEnd(slot.baseTitle, data, facts, briefStyle(this.style)));
    if (this.current === key) this.current = undefined;
  }

  private reverted(data: EventMap['fault.reverted']): void {
    if (data.verified) this.reverts.verified += 1;
    else if (data.revertible) this.reverts.unverified += 1;
    else this.reverts.irreversible += 1;
    this.manualCommands.push(...data.manual);
    // Reverted before the rollback (a revert step, a maxDuration): shown where it happened.
    const during = this.slot(ROLLBACK)?.hasStarted || !this.current ? ROLLBACK : this.current;
    this.detail(during, faultRevertedSentence(data, this.style));
  }

  private remaining(data: EventMap['faults.remaining']): void {
    this.summary.push(faultsRemainingSentence(data, this.style));
    const rollback = this.slot(ROLLBACK);
    if (rollback && !rollback.hasStarted) {
      this.endBefore(this.slots.indexOf(rollback));
      rollback.finish({ status: 'skipped', title: `${rollback.baseTitle} — faults left in place (${data.reason})` });
    }
  }

  private drillFinished(): void {
    this.finishAll();
    if (this.manualCommands.length > 0) {
      this.summary.push('To finish the rollback by hand:', ...this.manualCommands.map((command) => `  ${command}`));
    }
  }

  private open(key: string, detail: string): void {
    const slot = this.slot(key);
    if (!slot) return;
    this.endBefore(this.slots.indexOf(slot));
    slot.start();
    slot.setDetail(detail);
  }

  /** Ends every open slot before position `end`, the way the runner left it. */
  private endBefore(end: number): void {
    for (const slot of this.slots.slice(0, end)) {
      if (!slot.hasEnded) slot.finish(this.conclusion(slot));
    }
  }

  private conclusion(slot: LiveSlot): SlotEnd {
    if (slot.key === ROLLBACK && !slot.hasStarted && this.faultsInjected === 0) {
      return { status: 'skipped', title: `${slot.baseTitle} — nothing to revert` };
    }
    if (!slot.hasStarted) return { status: 'skipped', title: `${slot.baseTitle} — not run` };
    if (slot.key === STEADY_BEFORE) return steadyEnd(slot.baseTitle, this.steady.before);
    if (slot.key === STEADY_AFTER) return steadyEnd(slot.baseTitle, this.steady.after);
    if (slot.key === ROLLBACK) return rollbackEnd(slot.baseTitle, this.reverts);
    return { status: 'failed', title: `${slot.baseTitle} — interrupted` };
  }

  private detail(key: string, text: string): void {
    this.slot(key)?.setDetail(text);
  }

  private addFacts(key: string, more: Partial<StepFacts>): void {
    const facts = this.facts.get(key);
    if (facts) Object.assign(facts, more);
  }

  private aboutCurrent(detail: string): void {
    if (this.current) this.detail(this.current, detail);
  }

  private factAboutCurrent(more: Partial<StepFacts>, detail: string): void {
    if (!this.current) return;
    this.addFacts(this.current, more);
    this.detail(this.current, detail);
  }

  private addSlot(key: string, title: string): void {
    this.slots.push(new LiveSlot(key, title, this.style.paint, this.now));
  }

  private addStepSlot(section: 'steps' | 'restore', index: number, name: string): void {
    const list = section === 'steps' ? this.outline.started.steps : this.outline.started.restore;
    const position = list.findIndex((step) => step.index === index) + 1;
    const prefix = section === 'restore' ? 'restore ' : '';
    this.addSlot(stepKey(section, index), `${prefix}${position}/${list.length} ${name}`);
  }

  private slot(key: string): LiveSlot | undefined {
    return this.slots.find((slot) => slot.key === key);
  }

  private firstSlotOf(prefix: string): number {
    const at = this.slots.findIndex((slot) => slot.key.startsWith(prefix));
    return Math.max(at, 0);
  }
}
