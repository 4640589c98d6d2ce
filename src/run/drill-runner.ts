import type { Engine } from '../engine/ports.js';
import type { DeliverStatusUpdate } from '../notify/status-update.js';
import type { ProbeSpec } from '../probes/spec-schema.js';
import { abortReason, DrillAbort } from './abort.js';
import type { Clock } from '../clock.js';
import type { DrillContext, Prompter, WaitMeasurement } from './drill-context.js';
import { DrillGuards } from './drill-guards.js';
import type { EventBus } from './event-bus.js';
import type { ProjectLockFacts, Verdict } from '../journal/events.js';
import { evaluateDrillObjective, evaluateFirstContactObjective, evaluateStepObjective } from './objectives.js';
import type { DrillPlan } from '../plan/plan.js';
import { planHash } from '../plan/plan-hash.js';
import { RollbackLedger, revertedFacts } from './rollback-ledger.js';
import { runSection } from './run-section.js';
import { checkSteadyState } from './steady-state.js';
import { outlineSteps } from '../plan/step-outline.js';
import { decideVerdict } from './verdict.js';
import { DrillFacts } from './drill-facts.js';
import { describeProbe } from '../probes/registry.js';
import type { RegressionGate } from './regression.js';
import { RegressionGateWatch } from './regression-gate.js';

export interface RunDrillOptions {
  plan: DrillPlan;
  engine: Engine;
  clock: Clock;
  bus: EventBus;
  runId: string;
  firedrillVersion: string;
  /** Aborted by the CLI on SIGINT/SIGTERM, with a DrillAbort as its reason. */
  signal: AbortSignal;
  prompter?: Prompter;
  /** The project lock the CLI took for this run, recorded in drill.started. */
  lock?: ProjectLockFacts;
  /** `--max-regression`: the limit and the baseline the CLI chose; checked once the objectives are evaluated. */
  regressionGate?: RegressionGate;
  /** The run's directory: where a notify step's relative file goes. */
  runDir?: string;
  /** How notify steps deliver; the real webhook and file channels by default. */
  deliverStatusUpdate?: DeliverStatusUpdate;
}

export interface DrillOutcome {
  verdict: Verdict;
  exitCode: number;
  reason: string;
}

/** The steady state before injecting may take a little while to settle, never long. */
const STEADY_BEFORE_MAX_MS = 10_000;
/** Restore steps run after an abort too; they get their own generous deadline. */
export const RESTORE_MIN_MS = 120_000;
/** The steady state after the rollback gets its `within`, plus this for the probes' own timeouts. */
export const STEADY_AFTER_EXTRA_MS = 30_000;

/**
 * Runs a planned drill: steady state → steps → rollback → restore → steady state, emitting
 * every fact on the bus. Whatever happens in the steps (objective missed, abort, error), the
 * applied faults are reverted and the reverts verified before this resolves.
 */
export async function runDrill(opts: RunDrillOptions): Promise<DrillOutcome> {
  const { plan, bus, clock, engine } = opts;
  const { playbook } = plan.input;
  const drill = new AbortController();
  const stopLinks = linkAborts(opts.signal, drill, clock, playbook.timeLimit);

  // Before the first event: the facts the verdict is decided on are folded from every event.
  const facts = new DrillFacts(bus);
  emitStarted(opts);
  const ctx: DrillContext = {
    playbook,
    engine,
    clock,
    bus,
    topology: plan.topology,
    ledger: new RollbackLedger(),
    plannedFaults: plan.faults,
    facts,
    runId: opts.runId,
    ...(opts.runDir !== undefined ? { runDir: opts.runDir } : {}),
    ...(opts.deliverStatusUpdate ? { deliverStatusUpdate: opts.deliverStatusUpdate } : {}),
    ...(opts.prompter ? { prompter: opts.prompter } : {}),
  };
  const steady = playbook.steadyState;
  const guards = new DrillGuards(ctx, drill);

  bus.emit('phase.started', { phase: 'steady-state-before' });
  const steadyBefore = steady
    ? await checkSteadyState(
        ctx,
        { phase: 'before', probes: steady.probes, withinMs: Math.min(steady.within, STEADY_BEFORE_MAX_MS), everyMs: steady.every },
        drill.signal,
      )
    : true;
  if (!steadyBefore && !drill.signal.aborted)
    drill.abort(new DrillAbort('steady-state', 'the steady state did not hold before any fault was injected'));

  const gate = opts.regressionGate ? new RegressionGateWatch(bus, opts.regressionGate) : undefined;
  if (!drill.signal.aborted) await runSteps(ctx, drill, guards, gate);
  // Stop conditions end here, before the drill's state is read: none can fire once the rollback is due.
  const guardsStopped = guards.stop();
  if (drill.signal.aborted) {
    const abort = abortReason(drill.signal);
    if (abort.cause !== 'step-failed') bus.emit('drill.aborting', { cause: abort.cause, reason: abort.reason });
  }
  stopLinks();
  await guardsStopped;

  const touched = facts.applied.length > 0 || ctx.ledger.pending().length > 0;
  await rollback(ctx);
  if (touched) {
    await restore(ctx, Math.max(RESTORE_MIN_MS, playbook.timeLimit));
    if (steady) {
      bus.emit('phase.started', { phase: 'steady-state-after' });
      await checkSteadyState(
        ctx,
        { phase: 'after', probes: steady.probes, withinMs: steady.within, everyMs: steady.every },
        AbortSignal.timeout(steady.within + STEADY_AFTER_EXTRA_MS),
      );
    }
  }

  // Every revert, by a step, at a maxDuration or in the rollback, was journaled (fault.reverted): the facts hold them all.
  const outcome = decideVerdict(facts.runFacts());
  bus.emit('drill.finished', { ...outcome, durationMs: Number(bus.elapsedNs()) / 1e6 });
  return outcome;
}

async function runSteps(ctx: DrillContext, drill: AbortController, guards: DrillGuards, gate?: RegressionGateWatch): Promise<void> {
  const { playbook, bus } = ctx;
  bus.emit('phase.started', { phase: 'steps' });
  guards.stepsStarting();
  const result = await runSection(ctx, 'steps', playbook.steps, drill.signal, (index, outcome) => {
    const rto = playbook.steps[index]?.wait?.rto;
    if (rto === undefined) return;
    record(ctx, evaluateStepObjective(index, playbook.steps[index]!.name, rto, outcome.measurement, drill.signal.aborted));
  });
  // Objectives of steps that never ran are still accounted for, as not measured.
  playbook.steps.forEach((step, index) => {
    const notRun = result.failedAt !== undefined && index > result.failedAt;
    if (notRun && step.wait?.rto !== undefined) record(ctx, evaluateStepObjective(index, step.name, step.wait.rto, undefined));
  });
  if (playbook.objectives.rto !== undefined) {
    const waits: (WaitMeasurement | undefined)[] = [];
    playbook.steps.forEach((step, index) => step.wait && waits.push(result.measurements.get(index)));
    record(ctx, evaluateDrillObjective(playbook.objectives.rto, ctx.facts.applied[0]?.appliedNs, waits));
  }
  if (playbook.objectives.firstContact !== undefined) {
    const { applied, firstContactNs } = ctx.facts;
    record(
      ctx,
      evaluateFirstContactObjective(playbook.objectives.firstContact, applied[0]?.appliedNs, firstContactNs, drill.signal.aborted),
    );
  }
  // Every objective is evaluated by now; the gate compares them (regression.checked) before anything decides the verdict.
  gate?.check();
  if (result.failedAt !== undefined && !drill.signal.aborted) {
    const name = playbook.steps[result.failedAt]?.name ?? `step ${result.failedAt + 1}`;
    bus.emit('drill.aborting', { cause: 'step-failed', reason: `step "${name}" failed; stopping the drill and rolling back` });
  }
}

function record(ctx: DrillContext, objective: ReturnType<typeof evaluateStepObjective>): void {
  ctx.bus.emit('objective.evaluated', objective);
}

async function rollback(ctx: DrillContext): Promise<void> {
  if (ctx.ledger.pending().length === 0) return;
  ctx.bus.emit('phase.started', { phase: 'rollback' });
  if (ctx.playbook.rollback === 'never') {
    const refs = ctx.ledger.pending().map((record) => record.ref);
    ctx.bus.emit('faults.remaining', { refs, reason: 'the playbook says rollback: never' });
    return;
  }
  const outcomes = await ctx.ledger.revertAll(ctx.engine, (outcome) => ctx.bus.emit('fault.reverted', revertedFacts(outcome)));
  const unverified = outcomes.filter((outcome) => !outcome.verified).map((outcome) => outcome.record.ref);
  if (unverified.length > 0) ctx.bus.emit('faults.remaining', { refs: unverified, reason: 'their revert could not be verified' });
}

async function restore(ctx: DrillContext, deadlineMs: number): Promise<void> {
  const steps = ctx.playbook.restore ?? [];
  if (steps.length === 0) return;
  ctx.bus.emit('phase.started', { phase: 'restore' });
  await runSection(ctx, 'restore', steps, AbortSignal.timeout(deadlineMs));
}

function emitStarted(opts: RunDrillOptions): void {
  const { plan, bus } = opts;
  const { playbook } = plan.input;
  bus.emit('drill.started', {
    runId: opts.runId,
    firedrillVersion: opts.firedrillVersion,
    playbook: {
      name: playbook.name,
      title: playbook.title,
      summary: playbook.summary,
      ...(playbook.description ? { description: playbook.description } : {}),
      ...(playbook.nextSteps ? { nextSteps: playbook.nextSteps } : {}),
      ...(playbook.report ? { report: playbook.report } : {}),
      file: plan.input.file,
      sha256: plan.input.sha256,
    },
    project: plan.topology.project,
    endpoint: plan.topology.endpoint,
    objectives: {
      ...(playbook.objectives.rto !== undefined ? { rtoMs: playbook.objectives.rto } : {}),
      ...(playbook.objectives.firstContact !== undefined ? { firstContactMs: playbook.objectives.firstContact } : {}),
    },
    timeLimitMs: playbook.timeLimit,
    rollback: playbook.rollback,
    steps: outlineSteps(playbook.steps),
    restore: outlineSteps(playbook.restore ?? []),
    steadyState: (playbook.steadyState?.probes ?? []).map((probe: ProbeSpec) => describeProbe(probe)),
    planHash: planHash(plan),
    ...(opts.lock ? { lock: opts.lock } : {}),
  });
  bus.emit('topology.resolved', {
    services: plan.topology.services.map((service) => ({
      name: service.name,
      ...(service.region ? { region: service.region } : {}),
      containers: service.containers.map((c) => ({ id: c.id, name: c.name, service: c.service, status: c.status, health: c.health })),
    })),
    regions: plan.topology.regions,
    networks: plan.topology.networks.map((network) => ({ id: network.id, name: network.name })),
  });
}

/** Ties the CLI's signal and the drill's time limit to the drill's controller. */
function linkAborts(external: AbortSignal, drill: AbortController, clock: Clock, timeLimitMs: number): () => void {
  const onExternal = () => drill.abort(external.reason instanceof DrillAbort ? external.reason : new DrillAbort('signal', 'interrupted'));
  if (external.aborted) onExternal();
  else external.addEventListener('abort', onExternal, { once: true });
  const limit = new AbortController();
  clock.sleep(timeLimitMs, limit.signal).then(
    () => drill.abort(new DrillAbort('time-limit', `the drill ran past its time limit of ${timeLimitMs}ms`)),
    () => undefined,
  );
  return () => {
    external.removeEventListener('abort', onExternal);
    limit.abort();
  };
}
