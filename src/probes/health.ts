import { z } from 'zod';
import type { ContainerInfo, ContainerState } from '../engine/ports.js';
import { serviceName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import { nsToMs } from '../clock.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { messageOf } from '../errors.js';

/** Docker's health status of every container of a service. */
export const healthProbeSchema = z.strictObject({
  kind: z.literal('health'),
  name: z.string().optional(),
  service: serviceName,
  expect: z
    .strictObject({ status: z.enum(['healthy', 'unhealthy', 'starting', 'running']).default('healthy') })
    .default({ status: 'healthy' }),
});
export type HealthProbeSpec = z.output<typeof healthProbeSchema>;

export type ExpectedHealth = HealthProbeSpec['expect']['status'];

/**
 * Holds when every container of the service is in the expected state. `running` means the
 * process runs and is not paused; `healthy` also requires running (Docker 20.10 marks a
 * stopped or paused container unhealthy, but a container that is not running is never
 * healthy whatever an engine says); `unhealthy` and `starting` compare Docker's health as reported.
 */
export const healthProbe: Probe<HealthProbeSpec, typeof healthProbeSchema> = {
  kind: 'health',
  schema: healthProbeSchema,
  describe: (spec) => `every container of ${spec.service} is ${spec.expect.status}`,
  run: runHealthProbe,
};

async function runHealthProbe(spec: HealthProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const containers = serviceContainers(ctx.topology, spec.service);
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs: 0 };
  const started = ctx.clock.now();
  const verdicts = await Promise.all(containers.map((container) => inspectAndJudge(container, spec.expect.status, ctx)));
  const latencyMs = nsToMs(ctx.clock.now() - started);
  const observed = {
    containers: verdicts.map(({ name, state, problem }) => ({ name, ...state, ...(problem ? { problem } : {}) })),
  };
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs, observed };
  const failing = verdicts.find((verdict) => verdict.problem !== undefined);
  if (failing) return { ok: false, summary: `${failing.name} ${failing.problem}`, latencyMs, observed };
  const who = verdicts.length === 1 ? verdicts[0]?.name : `${verdicts.length} containers of ${spec.service}`;
  return { ok: true, summary: `${who} ${verdicts.length === 1 ? 'is' : 'are'} ${spec.expect.status}`, latencyMs, observed };
}

interface HealthVerdict {
  name: string;
  state?: { status: string; health: string };
  /** Why the container is not as expected ("is exited (expected running)"); undefined when it is. */
  problem?: string;
}

async function inspectAndJudge(container: ContainerInfo, expected: ExpectedHealth, ctx: ProbeContext): Promise<HealthVerdict> {
  let state: ContainerState;
  try {
    state = await ctx.engine.inspectState(container.id, { signal: ctx.signal });
  } catch (error) {
    const message = messageOf(error);
    return { name: container.name, problem: ctx.signal.aborted ? 'not inspected (aborted)' : `could not be inspected: ${message}` };
  }
  const problem = judgeState(state, expected);
  return { name: container.name, state: { status: state.status, health: state.health }, ...(problem ? { problem } : {}) };
}

/** Pure: why a container's state does not meet the expectation, or undefined when it does. */
export function judgeState(state: Pick<ContainerState, 'status' | 'health'>, expected: ExpectedHealth): string | undefined {
  if (expected === 'running') return state.status === 'running' ? undefined : `is ${state.status} (expected running)`;
  if (state.health === 'none') return 'has no healthcheck';
  if (expected === 'healthy' && state.status !== 'running') return `is ${state.status} (expected healthy)`;
  return state.health === expected ? undefined : `is ${state.health} (expected ${expected})`;
}
