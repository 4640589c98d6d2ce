import { z } from 'zod';
import { isContainerGone } from '../engine/container-gone.js';
import { InternalError, ScopeError } from '../errors.js';
import { byteSize, formatBytes } from '../playbook/byte-size.js';
import { serviceName } from '../playbook/common.js';
import { serviceContainers } from '../topology/topology.js';
import { applyToAll, messageOf, pinRunning } from './container-modes.js';
import { goneNote, restoreTargets } from './container-restore.js';
import {
  CLEAN_SCRIPT,
  diesWithContainer,
  FILL_SCRIPT,
  kibToReach,
  parseDf,
  parsePreflight,
  percentUsed,
  PREFLIGHT_SCRIPT,
  UNFIT,
} from './disk-usage.js';
import { faultCommonFields } from './fault-common.js';
import { mergeOutcomes } from './revert-outcomes.js';
import type { Fault, FaultContext, FaultRecord, FaultTarget, RevertResult } from './fault.js';

export const diskFillSchema = z
  .strictObject({
    kind: z.literal('disk-fill'),
    ...faultCommonFields,
    service: serviceName,
    /** An existing directory in the container; the filesystem holding it is filled. */
    path: z.string().regex(/^\/[^\n]*$/, { message: 'expected an absolute path in the container, such as /data' }),
    /** How much to write, e.g. "200m". */
    size: byteSize({ min: 1024 }).optional(),
    /** Or: write until the filesystem is this % used, as df counts it. */
    percent: z.number().gt(0).max(100).optional(),
    /** Refuse to write more than this per container (the root filesystem is usually the host's disk). */
    maxBytes: byteSize({ min: 1024 }).prefault('1g'),
  })
  .refine((spec) => (spec.size === undefined) !== (spec.percent === undefined), {
    message: 'give either `size` (how much to write) or `percent` (how full the filesystem should be), not both',
  });
export type DiskFillSpec = z.output<typeof diskFillSchema>;

/** Writing a gigabyte can take a while on a slow disk; removing it is quick. */
const FILL_TIMEOUT_MS = 120_000;
const CHECK_TIMEOUT_MS = 30_000;

/** What preflight measured and decided for one target, journaled before the fill. */
const fillSchema = z.object({
  file: z.string(),
  kib: z.number().int().positive(),
  tool: z.enum(['fallocate', 'dd']),
  usage: z.object({ mount: z.string(), type: z.string(), totalKiB: z.number(), usedKiB: z.number(), availableKiB: z.number() }),
});
type PlannedFill = z.output<typeof fillSchema>;

function plannedFill(target: FaultTarget): PlannedFill {
  const parsed = fillSchema.safeParse(target.before);
  if (!parsed.success) throw new InternalError(`the fill of ${target.name} was not planned (preflight did not run for this fault)`);
  return parsed.data;
}

/** One file per container, carrying the fault's ref: replicas sharing a volume do not collide. */
export function fillFile(spec: DiskFillSpec, ref: string, target: FaultTarget): string {
  return `${spec.path.replace(/\/+$/, '')}/.firedrill-fill-${ref}-${target.containerId.slice(0, 12)}`;
}

function amountWords(spec: DiskFillSpec): string {
  return spec.size !== undefined ? formatBytes(spec.size) : `until ${spec.percent}% used`;
}

async function planOne(record: FaultRecord<DiskFillSpec>, target: FaultTarget, ctx: FaultContext): Promise<FaultTarget> {
  const { spec } = record;
  const who = `container ${target.name} (service ${target.service})`;
  const file = fillFile(spec, record.ref, target);
  const result = await ctx.engine.exec(target.containerId, ['sh', '-c', PREFLIGHT_SCRIPT, 'firedrill-disk-check', spec.path, file], {
    signal: ctx.signal,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  const said = result.stderr.trim() || result.stdout.trim();
  if (result.exitCode === 126 || result.exitCode === 127) throw new ScopeError(`disk-fill runs sh, df and fallocate or dd in ${who}, and it has no sh: ${said}`);
  if (Object.values(UNFIT).includes(result.exitCode as never)) throw new ScopeError(`disk-fill cannot fill ${spec.path} in ${who}: ${said}`);
  const found = result.exitCode === 0 ? parsePreflight(result) : undefined;
  if (!found) throw new Error(`checking ${spec.path} in ${who} failed (exit code ${result.exitCode}): ${said || '(no output)'}`);
  const { tool, usage } = found;
  const kib = spec.size !== undefined ? Math.ceil(spec.size / 1024) : kibToReach(spec.percent ?? 100, usage);
  const where = `the filesystem at ${usage.mount} of ${who} (${formatBytes(usage.availableKiB * 1024)} free of ${formatBytes(usage.totalKiB * 1024)}, ${percentUsed(usage)}% used)`;
  if (kib <= 0) {
    throw new ScopeError(`${where} is already at or above ${spec.percent}%; there is nothing to fill — choose a higher percent`);
  }
  if (kib > usage.availableKiB) {
    throw new ScopeError(`${where} has room for less than ${formatBytes(kib * 1024)} — choose a smaller size, or percent: 100 to fill it completely`);
  }
  if (kib * 1024 > spec.maxBytes) {
    throw new ScopeError(
      `filling ${where} ${amountWords(spec)} means writing ${formatBytes(kib * 1024)}, more than maxBytes (${formatBytes(spec.maxBytes)}) — ` +
        'raise maxBytes if you mean it (a container\'s root filesystem is usually the host\'s disk), or fill a smaller volume',
    );
  }
  const fill: PlannedFill = { file, kib, tool, usage };
  return { ...target, before: fill };
}

async function fillOne(target: FaultTarget, ctx: FaultContext): Promise<void> {
  const { file, kib, tool } = plannedFill(target);
  const result = await ctx.engine.exec(target.containerId, ['sh', '-c', FILL_SCRIPT, 'firedrill-disk-fill', file, String(kib), tool], {
    signal: ctx.signal,
    timeoutMs: FILL_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new Error(`writing ${formatBytes(kib * 1024)} to ${file} failed (exit code ${result.exitCode}): ${result.stderr.trim() || '(no output)'}`);
  }
}

async function cleanOne(target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const fill = plannedFill(target);
  const manual = [`docker start ${target.containerId}; docker exec ${target.containerId} rm -f ${fill.file}`];
  try {
    await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
  } catch (error) {
    if (isContainerGone(error)) return goneOutcome(target, fill);
    return { verified: false, done: [], problems: [`could not observe ${target.name}: ${messageOf(error)}`], manual };
  }
  // The file can only be removed from inside: a container the full disk stopped is started first.
  const running = await restoreTargets([target], ctx);
  if (!running.verified) return { ...running, problems: [...running.problems, `${fill.file} could not be removed`], manual };
  try {
    const result = await ctx.engine.exec(target.containerId, ['sh', '-c', CLEAN_SCRIPT, 'firedrill-disk-clean', fill.usage.mount, fill.file], {
      signal: ctx.signal,
      timeoutMs: CHECK_TIMEOUT_MS,
    });
    if (result.exitCode !== 0) throw new Error(`exit code ${result.exitCode}: ${result.stderr.trim() || '(no output)'}`);
    return released(target, fill, parseDf(result.stdout), running.done);
  } catch (error) {
    return { verified: false, done: running.done, problems: [`removing ${fill.file} from ${target.name} failed: ${messageOf(error)}`], manual };
  }
}

/** The file is gone; the space must be free again (a process holding the file open keeps it). */
function released(target: FaultTarget, fill: PlannedFill, now: ReturnType<typeof parseDf>, done: string[]): RevertResult {
  const removed = `removed ${fill.file} from ${target.name}`;
  if (!now) return { verified: true, done: [...done, `${removed} (df gave no reading to compare)`], problems: [], manual: [] };
  const usage = `${fill.usage.mount} is ${percentUsed(now)}% used (${percentUsed(fill.usage)}% before the fault)`;
  if (now.usedKiB < fill.usage.usedKiB + fill.kib) return { verified: true, done: [...done, `${removed}; ${usage}`], problems: [], manual: [] };
  return {
    verified: false,
    done: [...done, removed],
    problems: [`${usage}: the ${formatBytes(fill.kib * 1024)} written are not free again — a process may still hold the deleted file open`],
    manual: [`docker restart ${target.containerId}  # releases space held by deleted files that are still open`],
  };
}

/** A removed container takes its own layer and its tmpfs with it, but not a volume or bind mount. */
function goneOutcome(target: FaultTarget, fill: PlannedFill): RevertResult {
  if (diesWithContainer(fill.usage)) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
  return {
    verified: false,
    done: [`${target.name} no longer exists (removed or replaced during the drill)`],
    problems: [`${fill.file} may remain on the ${fill.usage.type} mount at ${fill.usage.mount}, which outlives the container`],
    manual: [`docker compose exec ${target.service} rm -f ${fill.file}  # from any container that mounts the same volume`],
  };
}

/**
 * Fills the filesystem holding a directory in every container of a service: one file per
 * container, named with the fault's ref, of a size or up to a percentage of the filesystem,
 * written with the target's own fallocate (or dd). Preflight checks the tools and the path and
 * computes the amount, refusing more than maxBytes; revert removes exactly that file and checks
 * that it is gone and its space free.
 */
export const diskFill: Fault<DiskFillSpec> = {
  kind: 'disk-fill',
  schema: diskFillSchema,
  revertible: true,

  describe: (spec) => `fill the filesystem holding ${spec.path} in every container of service ${spec.service} ${spec.size !== undefined ? `with ${amountWords(spec)}` : amountWords(spec)}`,

  targets: (spec, topology) => pinRunning(serviceContainers(topology, spec.service), topology, `disk-fill of service "${spec.service}"`),

  async preflight(record, ctx) {
    const targets: FaultTarget[] = [];
    for (const target of record.targets) targets.push(await planOne(record, target, ctx));
    return { ...record, targets };
  },

  plan: (record) =>
    record.targets.map((target) => {
      const who = `container ${target.name} (service ${target.service})`;
      if (target.before === undefined) {
        const file = fillFile(record.spec, record.ref, target);
        return { apply: `write ${amountWords(record.spec)} to ${file} in ${who}`, revert: `remove ${file} and check that it is gone` };
      }
      const fill = plannedFill(target);
      const after = percentUsed({ usedKiB: fill.usage.usedKiB + fill.kib, availableKiB: fill.usage.availableKiB - fill.kib });
      return {
        apply:
          `write ${formatBytes(fill.kib * 1024)} (${fill.kib * 1024} bytes, with ${fill.tool}) to ${fill.file} in ${who}: ` +
          `its ${fill.usage.type} filesystem at ${fill.usage.mount} goes from ${percentUsed(fill.usage)}% to ${after}% used`,
        revert: `remove ${fill.file}, check that it is gone and its space free (start ${target.name} first if it stopped)`,
      };
    }),

  inject: (record, ctx) => applyToAll(record.targets, `disk-fill of service ${record.spec.service}`, (target) => fillOne(target, ctx)),

  revert: async (record, ctx) => mergeOutcomes(await Promise.all(record.targets.map((target) => cleanOne(target, ctx)))),
};
