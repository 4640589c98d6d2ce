import { z } from 'zod';
import { isContainerGone } from '../engine/container-gone.js';
import type { ContainerState, ExecResult } from '../engine/ports.js';
import { InternalError, messageOf, ScopeError } from '../errors.js';
import { byteSize, formatBytes } from '../spec/byte-size.js';
import { serviceName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import { applyToAll, pinRunning } from './mechanisms/container-modes.js';
import { goneNote, settledState } from './mechanisms/container-restore.js';
import {
  type CleanedProcess,
  CLEAN_SCRIPT,
  diesWithContainer,
  FILL_SCRIPT,
  kibToReach,
  parseClean,
  parseDf,
  parsePreflight,
  percentUsed,
  PREFLIGHT_SCRIPT,
  UNFIT,
} from './mechanisms/disk-usage.js';
import { faultCommonFields } from './fault-common.js';
import { mapBounded } from './mechanisms/target-pool.js';
import { leftAsFound } from './mechanisms/found-state.js';
import { shellWords } from './mechanisms/netns-helper.js';
import { mergeOutcomes } from './mechanisms/revert-outcomes.js';
import type { Fault, FaultContext, FaultRecord, FaultTarget, RevertResult } from './fault.js';
import { composeCommandName } from '../topology/compose-command-name.js';

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
  if (result.exitCode === 126 || result.exitCode === 127)
    throw new ScopeError(`disk-fill runs sh, df, ls, rm, sleep and fallocate or dd in ${who}, and it has no sh: ${said}`);
  if (Object.values(UNFIT).includes(result.exitCode as never))
    throw new ScopeError(`disk-fill cannot fill ${spec.path} in ${who}: ${said}`);
  const found = result.exitCode === 0 ? parsePreflight(result) : undefined;
  if (!found) throw new Error(`checking ${spec.path} in ${who} failed (exit code ${result.exitCode}): ${said || '(no output)'}`);
  const { tool, usage } = found;
  const kib = spec.size !== undefined ? Math.ceil(spec.size / 1024) : kibToReach(spec.percent ?? 100, usage);
  const where = `the filesystem at ${usage.mount} of ${who} (${formatBytes(usage.availableKiB * 1024)} free of ${formatBytes(usage.totalKiB * 1024)}, ${percentUsed(usage)}% used)`;
  if (kib <= 0) {
    throw new ScopeError(`${where} is already at or above ${spec.percent}%; there is nothing to fill — choose a higher percent`);
  }
  if (kib > usage.availableKiB) {
    throw new ScopeError(
      `${where} has room for less than ${formatBytes(kib * 1024)} — choose a smaller size, or percent: 100 to fill it completely`,
    );
  }
  if (kib * 1024 > spec.maxBytes) {
    throw new ScopeError(
      `filling ${where} ${amountWords(spec)} means writing ${formatBytes(kib * 1024)}, more than maxBytes (${formatBytes(spec.maxBytes)}) — ` +
        "raise maxBytes if you mean it (a container's root filesystem is usually the host's disk), or fill a smaller volume",
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
    throw new Error(
      `writing ${formatBytes(kib * 1024)} to ${file} failed (exit code ${result.exitCode}): ${result.stderr.trim() || '(no output)'}`,
    );
  }
}

/**
 * Removes the fill from one target. The file can only be removed from inside, so the running
 * state matters, and it is never changed for good (another fault may hold it, see
 * found-state.ts): a running target is cleaned; a stopped one is started, cleaned and stopped
 * again, as it was found; a paused one is not unpaused — the person is told what to run.
 */
async function cleanOne(target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const fill = plannedFill(target);
  let state: ContainerState;
  try {
    state = await settledState(target, ctx);
  } catch (error) {
    if (isContainerGone(error)) return goneOutcome(target, fill);
    return {
      verified: false,
      done: [],
      problems: [`could not observe ${target.name}: ${messageOf(error)}`],
      manual: [removeCommand(target, fill)],
    };
  }
  if (state.status === 'running') return removeFill(target, fill, ctx);
  if (state.status === 'paused') {
    return {
      verified: false,
      done: [leftAsFound(target, state, 'not by this fault (disk-fill never pauses)')],
      problems: [`${fill.file} is still in ${target.name}: it can only be removed from inside, and a paused container runs nothing`],
      manual: [
        `docker unpause ${target.containerId}`,
        removeCommand(target, fill),
        `docker pause ${target.containerId}  # if it should stay paused`,
      ],
    };
  }
  return removeWhileStopped(target, fill, state, ctx);
}

/** Starts a stopped target only to remove the file, then stops it again. */
async function removeWhileStopped(target: FaultTarget, fill: PlannedFill, state: ContainerState, ctx: FaultContext): Promise<RevertResult> {
  const call = { signal: ctx.signal };
  const asFound = `docker stop ${target.containerId}  # it was ${state.status} before the revert`;
  try {
    await ctx.engine.start(target.containerId, call);
  } catch (error) {
    if (isContainerGone(error)) return goneOutcome(target, fill);
    return {
      verified: false,
      done: [],
      problems: [
        `${fill.file} is still in ${target.name}, which is ${state.status}, and starting it to remove the file failed: ${messageOf(error)}`,
      ],
      manual: [`docker start ${target.containerId}`, removeCommand(target, fill), asFound],
    };
  }
  const removed = await removeFill(target, fill, ctx);
  const started = `started ${target.name} only to remove ${fill.file} (it was ${state.status})`;
  try {
    await ctx.engine.stop(target.containerId, call);
  } catch (error) {
    return {
      verified: false,
      done: [started, ...removed.done],
      problems: [...removed.problems, `stopping ${target.name} again failed: ${messageOf(error)}`],
      manual: [...removed.manual, asFound],
    };
  }
  const stopped = `stopped ${target.name} again, as it was found: disk-fill does not decide whether it runs (\`docker start ${target.containerId}\` starts it)`;
  return { ...removed, done: [started, ...removed.done, stopped] };
}

/**
 * Runs the clean-up in a running target: the writer is stopped if it is still at work, the
 * file and its writer file are removed, and they are observed to stay gone; the file's space is
 * free once no other process holds it open. df's reading is given for information only: the
 * application may write to the same filesystem meanwhile.
 */
async function removeFill(target: FaultTarget, fill: PlannedFill, ctx: FaultContext): Promise<RevertResult> {
  let result: ExecResult;
  try {
    result = await ctx.engine.exec(target.containerId, ['sh', '-c', CLEAN_SCRIPT, 'firedrill-disk-clean', fill.usage.mount, fill.file], {
      signal: ctx.signal,
      timeoutMs: CHECK_TIMEOUT_MS,
    });
  } catch (error) {
    return {
      verified: false,
      done: [],
      problems: [`removing ${fill.file} from ${target.name} failed: ${messageOf(error)}`],
      manual: [removeCommand(target, fill)],
    };
  }
  const { stopped, held } = parseClean(result.stdout);
  const writers = stopped.length > 0 ? [`stopped the fill's writer, still at work: ${processWords(stopped)}`] : [];
  if (result.exitCode !== 0) {
    return {
      verified: false,
      done: writers,
      problems: [
        `removing ${fill.file} from ${target.name} failed (exit code ${result.exitCode}): ${result.stderr.trim() || '(no output)'}`,
      ],
      manual: [`docker restart ${target.containerId}  # ends a writer that will not stop`, removeCommand(target, fill)],
    };
  }
  const now = parseDf(result.stdout);
  const usage = now ? `; ${fill.usage.mount} is now ${percentUsed(now)}% used` : '';
  const done = [...writers, `removed ${fill.file} from ${target.name}, and it stayed gone${usage}`];
  if (held.length === 0) return { verified: true, done, problems: [], manual: [] };
  return {
    verified: false,
    done,
    problems: [
      `the removed ${fill.file} is still held open in ${target.name} by ${processWords(held)}: ` +
        `its ${formatBytes(fill.kib * 1024)} are not free until that closes it`,
    ],
    manual: [`docker restart ${target.containerId}  # releases space held by removed files that are still open`],
  };
}

function processWords(processes: CleanedProcess[]): string {
  return processes.map((p) => `${p.name} (PID ${p.pid})`).join(', ');
}

/** The removal by hand (once nothing writes any more). */
function removeCommand(target: FaultTarget, fill: PlannedFill): string {
  return `docker exec ${target.containerId} ${shellWords(['rm', '-f', '--', fill.file, `${fill.file}.writer`])}`;
}

/** A removed container takes its own layer and its tmpfs with it, but not a volume or bind mount. */
function goneOutcome(target: FaultTarget, fill: PlannedFill): RevertResult {
  if (diesWithContainer(fill.usage)) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
  return {
    verified: false,
    done: [`${target.name} no longer exists (removed or replaced during the drill)`],
    problems: [`${fill.file} may remain on the ${fill.usage.type} mount at ${fill.usage.mount}, which outlives the container`],
    manual: [
      `${composeCommandName()} exec ${target.service} ${shellWords(['rm', '-f', '--', fill.file, `${fill.file}.writer`])}` +
        '  # from any container that mounts the same volume',
    ],
  };
}

/**
 * Fills the filesystem holding a directory in every container of a service: one file per
 * container, named with the fault's ref, of a size or up to a percentage of the filesystem,
 * written with the target's own fallocate (or dd) through one descriptor. Preflight checks the
 * tools and the path and computes the amount, refusing more than maxBytes; revert stops a
 * writer still at work, removes exactly that file, and observes that it stays gone and that no
 * process holds it open. It never changes whether a container runs (see cleanOne).
 */
export const diskFill: Fault<DiskFillSpec, typeof diskFillSchema> = {
  kind: 'disk-fill',
  schema: diskFillSchema,
  revertible: true,

  describe: (spec) =>
    `fill the filesystem holding ${spec.path} in every container of service ${spec.service} ${spec.size !== undefined ? `with ${amountWords(spec)}` : amountWords(spec)}`,

  targets: (spec, topology) => pinRunning(serviceContainers(topology, spec.service), topology, `disk-fill of service "${spec.service}"`),

  async preflight(record, ctx) {
    const targets = await mapBounded(record.targets, (target) => planOne(record, target, ctx));
    return { ...record, targets };
  },

  plan: (record) =>
    record.targets.map((target) => {
      const who = `container ${target.name} (service ${target.service})`;
      const file = fillFile(record.spec, record.ref, target);
      const revert =
        `stop the writer if it is still at work, remove ${file}, and check that it stays gone and that no process holds it open ` +
        '(a stopped container is started for that and stopped again; a paused one is left paused, with the commands to finish)';
      const apply =
        record.spec.size !== undefined
          ? `write ${formatBytes(record.spec.size)} (${Math.ceil(record.spec.size / 1024) * 1024} bytes) to ${file} in ${who}`
          : `write to ${file} in ${who} until its filesystem is ${record.spec.percent}% used (at most ${formatBytes(record.spec.maxBytes)})`;
      if (target.before === undefined) return { apply, revert };
      // How full the filesystem is changes with every write in the target: shown, not hashed.
      const fill = plannedFill(target);
      const after = percentUsed({ usedKiB: fill.usage.usedKiB + fill.kib, availableKiB: fill.usage.availableKiB - fill.kib });
      const measured =
        `its ${fill.usage.type} filesystem at ${fill.usage.mount} is ${percentUsed(fill.usage)}% used ` +
        `(${formatBytes(fill.usage.availableKiB * 1024)} free of ${formatBytes(fill.usage.totalKiB * 1024)}): ` +
        `${formatBytes(fill.kib * 1024)} (${fill.kib * 1024} bytes) to write with ${fill.tool}, to ${after}% used`;
      return { apply, revert, measured };
    }),

  inject: (record, ctx) => applyToAll(record.targets, `disk-fill of service ${record.spec.service}`, (target) => fillOne(target, ctx)),

  revert: async (record, ctx) => mergeOutcomes(await Promise.all(record.targets.map((target) => cleanOne(target, ctx)))),
};
