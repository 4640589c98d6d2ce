import { z } from 'zod';
import type { ContainerInfo, ContainerLifecycle, ContainerStatus } from '../engine/ports.js';
import { serviceName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import type { Action, ActionContext, ActionResult } from './action.js';
import { count } from '../words/number-words.js';
import { messageOf } from '../errors.js';

/** Start (if not running) or restart every container of a service. */
export const serviceLifecycleActionSchema = z.strictObject({
  kind: z.enum(['start', 'restart']),
  service: serviceName,
});
export type ServiceLifecycleActionSpec = z.output<typeof serviceLifecycleActionSchema>;

type Lifecycle = ServiceLifecycleActionSpec['kind'];
type LifecycleAction = Action<ServiceLifecycleActionSpec, typeof serviceLifecycleActionSchema>;

/** Starts every container of the service that is not running; a paused one is unpaused. */
export const startServiceAction: LifecycleAction = lifecycleAction('start');
/** Restarts every container of the service, whatever its state. */
export const restartServiceAction: LifecycleAction = lifecycleAction('restart');

function lifecycleAction(kind: Lifecycle): LifecycleAction {
  return {
    kind,
    schema: serviceLifecycleActionSchema,
    describe: (spec) =>
      spec.kind === 'start' ? `start every stopped container of ${spec.service}` : `restart every container of ${spec.service}`,
    run: runLifecycle,
  };
}

/** What was done to one container: "started", "unpaused", "restarted", "none" — or why it failed. */
interface ContainerStep {
  container: ContainerInfo;
  done?: 'started' | 'unpaused' | 'restarted' | 'none';
  error?: string;
}

/**
 * Acts on every container in parallel, then confirms by inspection that each one runs.
 * Engine errors become a failed result naming the container, never a throw.
 */
async function runLifecycle(spec: ServiceLifecycleActionSpec, ctx: ActionContext): Promise<ActionResult> {
  const containers = serviceContainers(ctx.topology, spec.service);
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted' };
  const steps = await Promise.all(containers.map((c) => settle(c, () => actOn(spec.kind, c, ctx))));
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted' };
  const failedStep = steps.find((step) => step.error !== undefined);
  if (failedStep) return { ok: false, summary: `could not ${spec.kind} ${failedStep.container.name}: ${failedStep.error}` };
  const notRunning = await confirmRunning(containers, ctx);
  const summary = describeSteps(steps);
  if (notRunning.length > 0) return { ok: false, summary: `${summary}, but ${notRunning.join(', ')}` };
  return { ok: true, summary };
}

async function actOn(kind: Lifecycle, container: ContainerInfo, ctx: ActionContext): Promise<ContainerStep['done']> {
  const opts = { signal: ctx.signal };
  if (kind === 'restart') {
    await ctx.engine.restart(container.id, opts);
    return 'restarted';
  }
  const { status } = await ctx.engine.inspectState(container.id, opts);
  if (status === 'running') return 'none';
  if (status === 'paused') {
    await ctx.engine.unpause(container.id, opts);
    return 'unpaused';
  }
  await ctx.engine.start(container.id, opts);
  return 'started';
}

async function settle(container: ContainerInfo, act: () => Promise<ContainerStep['done']>): Promise<ContainerStep> {
  try {
    return { container, done: await act() };
  } catch (error) {
    return { container, error: messageOf(error) };
  }
}

/** "name is exited" for every container not running after the action. */
async function confirmRunning(containers: ContainerInfo[], ctx: ActionContext): Promise<string[]> {
  const statuses = await currentStatuses(ctx.engine, containers, ctx.signal);
  return containers.flatMap((c, i) => (statuses[i] === 'running' ? [] : [`${c.name} is ${statuses[i]}`]));
}

/** Each container's status now, in order; a failed inspection reads as "not inspectable". */
export function currentStatuses(
  engine: Pick<ContainerLifecycle, 'inspectState'>,
  containers: readonly ContainerInfo[],
  signal: AbortSignal,
): Promise<(ContainerStatus | 'not inspectable')[]> {
  return Promise.all(
    containers.map((c) =>
      engine.inspectState(c.id, { signal }).then(
        (state): ContainerStatus | 'not inspectable' => state.status,
        () => 'not inspectable' as const,
      ),
    ),
  );
}

/** "started 1 container", "restarted 2 containers", "unpaused 1 container, started 1 container, 1 already running". */
export function describeSteps(steps: readonly Pick<ContainerStep, 'done'>[]): string {
  const counts = new Map<string, number>();
  for (const { done } of steps) if (done) counts.set(done, (counts.get(done) ?? 0) + 1);
  const untouched = counts.get('none') ?? 0;
  counts.delete('none');
  if (counts.size === 0) return untouched === 1 ? '1 container already running' : `all ${untouched} containers already running`;
  const acted = [...counts].map(([verb, n]) => `${verb} ${count(n, 'container')}`);
  return [...acted, ...(untouched > 0 ? [`${untouched} already running`] : [])].join(', ');
}
