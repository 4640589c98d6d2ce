import { z } from 'zod';
import { isContainerGone } from '../engine/container-gone.js';
import type { ContainerState, ResourceLimits } from '../engine/ports.js';
import { InternalError, messageOf, ScopeError } from '../errors.js';
import { byteSize, formatBytes } from '../spec/byte-size.js';
import { serviceName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import { applyToAll, pinRunning } from './mechanisms/container-modes.js';
import { goneNote } from './mechanisms/container-restore.js';
import { faultCommonFields } from './fault-common.js';
import { mapBounded } from './mechanisms/target-pool.js';
import { runningOrLeft } from './mechanisms/found-state.js';
import { mergeOutcomes } from './mechanisms/revert-outcomes.js';
import type { Fault, FaultContext, FaultRecord, FaultTarget, PlannedAction, RevertResult } from './fault.js';
import {
  applyUpdate,
  cpuPeriodOf,
  describeLimits,
  describeUpdate,
  dockerUpdateCommand,
  hostConfigChanges,
  limitsRestored,
  MIN_CPU_QUOTA_US,
  restoreUpdate,
  updateFields,
} from './mechanisms/limit-updates.js';

/** The engine refuses memory limits below 6 MiB. */
const MIN_MEMORY = 6 * 1024 ** 2;

export const resourceLimitsSchema = z
  .strictObject({
    kind: z.literal('resource-limits'),
    ...faultCommonFields,
    service: serviceName,
    /** CPUs the container may use, e.g. 0.25 for a quarter of one CPU. */
    cpus: z.number().min(0.01).max(1024).optional(),
    /** Memory limit, e.g. "64m"; swap is left as it was. */
    memory: byteSize({ min: MIN_MEMORY }).optional(),
  })
  .refine((spec) => spec.cpus !== undefined || spec.memory !== undefined, {
    message: 'give `cpus`, `memory` or both',
  });
export type ResourceLimitsSpec = z.output<typeof resourceLimitsSchema>;

/** The limits a target had before the fault, as preflight read them, and whether the engine had seen an OOM kill in it. */
const beforeSchema = z.object({
  /** Engine 20.10 never clears OOMKilled, so only a change from false says the fault's limit did it (absent in older journals). */
  oomKilled: z.boolean().optional(),
  limits: z.object({
    nanoCpus: z.number(),
    cpuQuota: z.number(),
    cpuPeriod: z.number(),
    cpuShares: z.number(),
    memory: z.number(),
    memorySwap: z.number(),
    memoryReservation: z.number(),
  }),
});

function recordedBefore(target: FaultTarget): z.output<typeof beforeSchema> {
  const parsed = beforeSchema.safeParse(target.before);
  if (!parsed.success) {
    throw new InternalError(`the limits of ${target.name} before the fault were not recorded (preflight did not run for this fault)`);
  }
  return parsed.data;
}

function limitsBefore(target: FaultTarget): ResourceLimits {
  return recordedBefore(target).limits;
}

function wantedWords(spec: ResourceLimitsSpec): string {
  return [spec.cpus !== undefined ? `${spec.cpus} CPUs` : '', spec.memory !== undefined ? `${formatBytes(spec.memory)} of memory` : '']
    .filter(Boolean)
    .join(' and ');
}

/** Refuses, before anything is touched, what the engine or the kernel would refuse mid-drill. */
function checkApplicable(spec: ResourceLimitsSpec, target: FaultTarget, before: ResourceLimits): void {
  const who = `container ${target.name} (service ${target.service})`;
  if (spec.memory !== undefined && before.memoryReservation > 0 && spec.memory < before.memoryReservation) {
    throw new ScopeError(
      `${who} reserves ${formatBytes(before.memoryReservation)} of memory (mem_reservation); the engine refuses a memory limit ` +
        `below that — choose a memory of at least ${formatBytes(before.memoryReservation)}`,
    );
  }
  if (spec.cpus !== undefined && before.nanoCpus === 0) {
    const quota = Math.round(spec.cpus * cpuPeriodOf(before));
    if (quota < MIN_CPU_QUOTA_US) {
      throw new ScopeError(
        `${who} has a CPU period of ${cpuPeriodOf(before)} µs, so ${spec.cpus} CPUs is a quota of ${quota} µs, below the ` +
          `kernel's minimum of ${MIN_CPU_QUOTA_US} µs — choose more CPUs`,
      );
    }
  }
}

async function restoreOne(spec: ResourceLimitsSpec, target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const before = limitsBefore(target);
  const call = { signal: ctx.signal };
  const was = describeLimits(spec, before);
  const done: string[] = [];
  const failed: string[] = [];
  try {
    const current = await ctx.engine.inspectResources(target.containerId, call);
    const sent = restoreUpdate(spec, before, current);
    if (Object.keys(sent).length === 0) {
      done.push(`${target.name} had its limits as before (${was})`);
    } else {
      // The engine changes the limits of a stopped container too (checked on 20.10).
      await ctx.engine.updateResources(target.containerId, sent, call);
      done.push(`set the limits of ${target.name} back to ${was} (${updateFields(sent)})`);
    }
  } catch (error) {
    if (isContainerGone(error)) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
    failed.push(messageOf(error));
  }
  const check = await verifyRestored(spec, target, before, ctx);
  if (check.now) {
    const shown = hostConfigChanges(spec, before, check.now);
    if (shown.length > 0) {
      done.push(
        `HostConfig of ${target.name} now shows ${shown.join(', ')}: the engine cannot write "unset" back, so "no limit" ` +
          "is the kernel's own no-limit value; the limits in force are as before",
      );
    }
  }
  const running = await runningOrLeft(target, ctx, stateReasons(spec, target));
  if (check.problem === undefined) return { ...running, done: [...done, ...running.done] };
  return {
    verified: false,
    done: [...done, ...running.done],
    problems: [...failed, check.problem, ...running.problems],
    manual: [dockerUpdateCommand(target.containerId, restoreUpdate(spec, before)), ...running.manual],
  };
}

/**
 * A memory limit the kernel enforces may cost the container its main process (an OOM kill):
 * then it is started again. Engine 20.10 keeps OOMKilled set once set, so an OOM kill counts as
 * this fault's only when preflight did not see one already. A container stopped or paused any
 * other way is left as it was found (a CPU limit stops nothing).
 */
function stateReasons(spec: ResourceLimitsSpec, target: FaultTarget) {
  const oomBefore = recordedBefore(target).oomKilled === true;
  const oomOurs = (state: ContainerState) => spec.memory !== undefined && state.oomKilled === true && !oomBefore;
  return {
    stoppedBy: (state: ContainerState) => (oomOurs(state) ? "the kernel OOM-killed it under this fault's memory limit" : undefined),
    notOurs: (state: ContainerState) => {
      if (state.status === 'paused') return 'not by this fault (it changes limits and never pauses)';
      if (spec.memory === undefined) return 'and a CPU limit stops no container (another fault may have stopped it)';
      if (state.oomKilled && oomBefore) {
        return "and the engine had reported an OOM kill in it before the drill already, so whether this fault's memory limit stopped it cannot be told";
      }
      return "and not by an OOM kill under this fault's memory limit (another fault may have stopped it)";
    },
  };
}

/** Reads the limits back: what they are now, and a message when they are not as before. */
async function verifyRestored(
  spec: ResourceLimitsSpec,
  target: FaultTarget,
  before: ResourceLimits,
  ctx: FaultContext,
): Promise<{ now?: ResourceLimits; problem?: string }> {
  try {
    const now = await ctx.engine.inspectResources(target.containerId, { signal: ctx.signal });
    if (limitsRestored(spec, before, now)) return { now };
    return {
      now,
      problem: `the limits of ${target.name} are ${describeLimits(spec, now)}, not ${describeLimits(spec, before)} as before the fault`,
    };
  } catch (error) {
    return { problem: `could not read the limits of ${target.name} back: ${messageOf(error)}` };
  }
}

function planOne(record: FaultRecord<ResourceLimitsSpec>, target: FaultTarget): PlannedAction {
  const who = `container ${target.name} (service ${target.service})`;
  const afterwards =
    record.spec.memory !== undefined
      ? 'and start it if the kernel OOM-killed it under the limit (stopped or paused otherwise, it is left as it is)'
      : '(a stopped or paused container is left as it is)';
  if (target.before === undefined) {
    return {
      apply: `limit ${who} to ${wantedWords(record.spec)}`,
      revert: `set its limits back to the values read when the drill is planned, read them back, ${afterwards}`,
    };
  }
  const before = limitsBefore(target);
  const back = restoreUpdate(record.spec, before);
  const shown = hostConfigChanges(record.spec, before, { ...before, ...back });
  const inspect = shown.length > 0 ? ` — \`docker inspect\` then shows ${shown.join(', ')}, the kernel's "no limit"` : '';
  return {
    apply: `limit ${who} to ${describeUpdate(applyUpdate(record.spec, before), before)}`,
    revert: `set its limits back to ${describeLimits(record.spec, before)} (\`${dockerUpdateCommand(target.name, back)}\`${inspect}), read them back, ${afterwards}`,
  };
}

/**
 * Limits the CPU and/or memory of every container of a service through the engine's update
 * API, as `docker update --cpus/--memory` would. The limits before are read at plan time and
 * journaled; revert puts them back, reads them back to check, and starts a container the
 * kernel OOM-killed under the limit (any other stopped or paused one is left as found). A memory limit below what the container uses is allowed: on cgroup v2 the
 * kernel reclaims or OOM-kills (the drill), on cgroup v1 runc refuses the update and the step
 * fails with nothing changed (checked on Engine 20.10).
 */
export const resourceLimits: Fault<ResourceLimitsSpec, typeof resourceLimitsSchema> = {
  kind: 'resource-limits',
  schema: resourceLimitsSchema,
  revertible: true,

  describe: (spec) => `limit every container of service ${spec.service} to ${wantedWords(spec)}`,

  targets: (spec, topology) =>
    pinRunning(serviceContainers(topology, spec.service), topology, `resource-limits of service "${spec.service}"`),

  async preflight(record, ctx) {
    const targets = await mapBounded(record.targets, async (target): Promise<FaultTarget> => {
      const limits = await ctx.engine.inspectResources(target.containerId, { signal: ctx.signal });
      checkApplicable(record.spec, target, limits);
      const { oomKilled } = await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
      return { ...target, before: { limits, oomKilled: oomKilled === true } };
    });
    return { ...record, targets };
  },

  plan: (record) => record.targets.map((target) => planOne(record, target)),

  inject: (record, ctx) =>
    applyToAll(record.targets, `resource-limits of service ${record.spec.service}`, (target) =>
      ctx.engine.updateResources(target.containerId, applyUpdate(record.spec, limitsBefore(target)), { signal: ctx.signal }),
    ),

  revert: async (record, ctx) => mergeOutcomes(await Promise.all(record.targets.map((target) => restoreOne(record.spec, target, ctx)))),
};
