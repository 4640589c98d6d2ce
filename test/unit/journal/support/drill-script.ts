import { createHash } from 'node:crypto';
import type { FaultRecord, PlannedAction } from '../../../../src/faults/fault.js';
import { JournalWriter } from '../../../../src/journal/writer.js';
import { EventBus } from '../../../../src/run/event-bus.js';
import type { EventListener, EventMap, EventType, Section } from '../../../../src/journal/events.js';
import { journalClock } from './journal-clock.js';

export interface WaitScript {
  section?: Section;
  index: number;
  /** Failing samples before the first good one; Infinity: never recovers before `timeoutMs`. */
  failures: number;
  everyMs: number;
  timeoutMs: number;
  /** Probe latency of each sample. */
  latencyMs?: number;
  rtoMs?: number;
  okSummary?: string;
  failSummary?: string;
  /** Stop after this many samples without finishing (an abort or a crash mid-wait). */
  stopAfter?: number;
}

export interface WaitResult {
  met: boolean;
  recoveryMs: number | null;
  resolutionMs: number;
  recoveredAtNs?: bigint;
}

/**
 * Drives a real EventBus with a FakeClock the way the runner does, so tests get journals
 * with the runner's event order and timing semantics (a sample's time is taken before the
 * probe runs; recovery runs from fault.applied to the first sample of the streak that held).
 */
export class DrillScript {
  readonly clock = journalClock();
  readonly bus = new EventBus(this.clock);
  private readonly applied = new Map<string, bigint>();

  constructor(listener: EventListener) {
    this.bus.subscribe(listener);
  }

  after(ms: number): this {
    this.clock.advance(ms);
    return this;
  }

  emit<T extends EventType>(type: T, data: EventMap[T]): void {
    this.bus.emit(type, data);
  }

  /** fault.injecting, the injection itself taking `injectMs`, then fault.applied. */
  inject(section: Section, index: number, record: FaultRecord, plan: PlannedAction[], injectMs: number): void {
    this.emit('fault.injecting', { section, index, record, plan });
    this.after(injectMs);
    const event = this.bus.emit('fault.applied', {
      ref: record.ref,
      kind: record.kind,
      targets: record.targets.map((t) => t.name),
      injectMs,
    });
    this.applied.set(record.ref, event.monoNs);
  }

  /** Probe samples and wait.finished, as the runner's wait step emits them. */
  wait(script: WaitScript, reference: string | null): WaitResult {
    const section = script.section ?? 'steps';
    const latencyMs = script.latencyMs ?? 3;
    const appliedNs = reference === null ? undefined : this.applied.get(reference);
    const deadlineNs = this.bus.elapsedNs() + BigInt(script.timeoutMs) * 1_000_000n;
    let previousSampleNs = appliedNs ?? this.bus.elapsedNs();
    let sample = 0;
    while (script.stopAfter === undefined || sample < script.stopAfter) {
      const sampleNs = this.bus.elapsedNs();
      const gapMs = Number(sampleNs - previousSampleNs) / 1e6;
      previousSampleNs = sampleNs;
      const ok = sample >= script.failures;
      this.after(latencyMs);
      sample += 1;
      const summary = ok ? (script.okSummary ?? `HTTP 200 in ${latencyMs}ms`) : (script.failSummary ?? 'connection refused');
      this.emit('probe.sample', { section, index: script.index, sample, ok, summary, latencyMs, streak: ok ? 1 : 0 });
      if (ok) return this.waitMet(script, sample, sampleNs, appliedNs, reference, Math.max(script.everyMs, gapMs));
      if (this.bus.elapsedNs() + BigInt(script.everyMs - latencyMs) * 1_000_000n > deadlineNs) break;
      this.after(script.everyMs - latencyMs);
    }
    if (script.stopAfter !== undefined && sample >= script.stopAfter) return { met: false, recoveryMs: null, resolutionMs: script.everyMs };
    this.emit('wait.finished', {
      section,
      index: script.index,
      met: false,
      samples: sample,
      reference: this.referenceOf(reference),
      recoveryMs: null,
      resolutionMs: script.everyMs,
      everyMs: script.everyMs,
      timeoutMs: script.timeoutMs,
    });
    return { met: false, recoveryMs: null, resolutionMs: script.everyMs };
  }

  /** Resolution as the runner states it: the polling interval, or the gap before the good sample when wider. */
  private waitMet(
    script: WaitScript,
    samples: number,
    sampleNs: bigint,
    appliedNs: bigint | undefined,
    reference: string | null,
    resolutionMs: number,
  ): WaitResult {
    const recoveryMs = appliedNs === undefined ? null : Number(sampleNs - appliedNs) / 1e6;
    this.emit('wait.finished', {
      section: script.section ?? 'steps',
      index: script.index,
      met: true,
      samples,
      reference: this.referenceOf(reference),
      recoveryMs,
      resolutionMs,
      everyMs: script.everyMs,
      timeoutMs: script.timeoutMs,
    });
    return { met: true, recoveryMs, resolutionMs, recoveredAtNs: sampleNs };
  }

  /** Milliseconds from fault `ref` applied to `ns`. */
  sinceApplied(ref: string, ns: bigint): number {
    return Number(ns - (this.applied.get(ref) ?? 0n)) / 1e6;
  }

  private referenceOf(ref: string | null): { ref: string; kind: string } | null {
    return ref === null ? null : { ref, kind: 'region-loss' };
  }
}

/** Records a script into a journal file. */
export function recordJournal(path: string, play: (script: DrillScript) => void): void {
  const writer = JournalWriter.open(path);
  try {
    play(new DrillScript((event) => writer.append(event)));
  } finally {
    writer.close();
  }
}

/** A stable, realistic-looking 64-hex container id for a name. */
export function containerId(name: string): string {
  return createHash('sha256').update(`container:${name}`).digest('hex');
}
