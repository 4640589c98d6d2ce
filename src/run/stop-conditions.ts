import type { Engine } from '../engine/ports.js';
import type { StopConditionSpec } from '../playbook/schema.js';
import { describeProbe, runProbe } from '../probes/registry.js';
import type { ProbeResult } from '../probes/probe.js';
import type { Topology } from '../topology/topology.js';
import { DrillAbort } from './abort.js';
import { BreachJudge, breachRules, type Breach, type BreachRules } from '../plan/breach-rules.js';
import type { Clock } from '../clock.js';
import { SampleLane } from '../probes/sample-lane.js';
import { SampleSchedule, sleepUntil } from '../probes/sample-schedule.js';
import type { EventBus } from './event-bus.js';
import { messageOf } from '../errors.js';

export interface StopConditionDeps {
  engine: Engine;
  topology: Topology;
  clock: Clock;
  bus: EventBus;
}

/** About a millisecond of work on a busy machine: what a wait step's sample may have to wait behind. */
const STARTS_PER_TURN = 8;

interface Watched {
  spec: StopConditionSpec;
  rules: BreachRules;
  samples: number;
  failed: number;
  /** The state last journaled; undefined before the first sample. */
  lastOk: boolean | undefined;
  breached: boolean;
}

/**
 * Watches the playbook's stop conditions while the steps run. Each condition polls its probe
 * in a loop of its own, on the drill's clock, every `every` on a fixed grid (sample-schedule.ts);
 * a slow probe delays only its own condition. The first breach aborts the drill through
 * `onBreach` and ends every loop at once, so exactly one condition is named as the cause.
 *
 * The journal gets a condition's start, each change between holding and failing, the breach,
 * and the tally when watching ends, but not every sample: a condition may be polled for the
 * whole drill, and the changes are what the report tells (wait steps journal every sample
 * because their recovery times are computed from them).
 */
export class StopConditionWatch {
  private readonly loops = new AbortController();
  /** The conditions' samples start a few per turn of the event loop, so that a wait step's sample is not held up behind them. */
  private readonly lane = new SampleLane(STARTS_PER_TURN);
  private readonly watched: Watched[] = [];
  private stopped = false;

  constructor(
    private readonly deps: StopConditionDeps,
    private readonly conditions: readonly StopConditionSpec[],
    private readonly onBreach: (abort: DrillAbort) => void,
    drillSignal: AbortSignal,
  ) {
    if (drillSignal.aborted) this.loops.abort();
    else drillSignal.addEventListener('abort', () => this.loops.abort(), { once: true });
  }

  /**
   * Starts watching the conditions that begin at `from`; each starts once. Emits, so it must
   * not be called from inside an event listener (the runner defers it).
   */
  begin(from: StopConditionSpec['from']): void {
    if (this.stopped || this.loops.signal.aborted) return;
    for (const spec of this.conditions) {
      if (spec.from !== from || this.watched.some((w) => w.spec === spec)) continue;
      const watched: Watched = { spec, rules: breachRules(spec), samples: 0, failed: 0, lastOk: undefined, breached: false };
      this.watched.push(watched);
      this.deps.bus.emit('stop-condition.watching', {
        name: spec.name,
        probe: describeProbe(spec.probe),
        everyMs: spec.every,
        from: spec.from,
        ...watched.rules,
      });
      void this.watch(watched);
    }
  }

  /**
   * Ends watching, before the rollback begins: a sample still in flight is dropped unjudged
   * and nothing of the loops is journaled after this. Records each watched condition's tally.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.loops.abort();
    for (const w of this.watched) {
      this.deps.bus.emit('stop-condition.ended', { name: w.spec.name, samples: w.samples, failed: w.failed, breached: w.breached });
    }
  }

  private async watch(w: Watched): Promise<void> {
    const { bus, clock } = this.deps;
    const signal = this.loops.signal;
    const judge = new BreachJudge(w.rules);
    const schedule = new SampleSchedule(bus.elapsedNs(), w.spec.every);
    const now = () => bus.elapsedNs();
    while (!signal.aborted) {
      const held = this.lane.turn();
      if (held) await held;
      if (signal.aborted) return;
      const startedNs = bus.elapsedNs();
      const result = await this.observe(w.spec, signal);
      if (signal.aborted) return;
      this.count(w, result);
      const breach = judge.judge({ startedNs, ok: result.ok });
      if (breach) return this.breach(w, breach, result);
      await sleepUntil(clock, now, schedule.advance(now()), signal);
    }
  }

  /** One sample. A probe that throws (it should not) counts as a failed sample, with its error. */
  private async observe(spec: StopConditionSpec, signal: AbortSignal): Promise<ProbeResult> {
    const { engine, topology, clock } = this.deps;
    try {
      return await runProbe(spec.probe, { engine, topology, signal, clock });
    } catch (error) {
      return { ok: false, summary: `the probe could not run: ${messageOf(error)}`, latencyMs: 0 };
    }
  }

  private count(w: Watched, result: ProbeResult): void {
    w.samples += 1;
    if (!result.ok) w.failed += 1;
    if (w.lastOk === result.ok) return;
    w.lastOk = result.ok;
    this.deps.bus.emit('stop-condition.changed', {
      name: w.spec.name,
      ok: result.ok,
      summary: result.summary,
      sample: w.samples,
      latencyMs: result.latencyMs,
    });
  }

  private breach(w: Watched, breach: Breach, result: ProbeResult): void {
    w.breached = true;
    // First breach wins: the other conditions stop sampling now, so none of them is journaled as a second cause.
    this.loops.abort();
    this.deps.bus.emit('stop-condition.breached', {
      name: w.spec.name,
      rule: breach.rule,
      reason: breach.reason,
      summary: result.summary,
      sampledNs: Number(breach.sampledNs),
      firstFailureNs: Number(breach.firstFailureNs),
      samples: breach.samples,
      failed: breach.failed,
      ...w.rules,
    });
    this.onBreach(new DrillAbort('stop-condition', `stop condition "${w.spec.name}" breached: ${breach.reason}`));
  }
}
