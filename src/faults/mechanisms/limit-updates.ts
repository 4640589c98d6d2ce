import type { ResourceLimits } from '../../engine/ports.js';
import { formatBytes } from '../../spec/byte-size.js';

/**
 * The arithmetic of the resource-limits fault: which HostConfig fields to send to apply a
 * limit and to put the previous limits back, and whether they are back. Pure.
 *
 * It works around what the engine's update API can and cannot do (measured on Engine 20.10,
 * see src/engine/docker-resources.ts):
 * - a limit cannot be set back to 0 ("unset"): "no CPU limit" is restored as CpuQuota -1 and
 *   "no memory limit" as the kernel's own unlimited value; the container then behaves, and its
 *   cgroup files read, exactly as before, but `docker inspect` shows those values, not 0;
 * - NanoCpus (`--cpus`, compose `cpus`) and CpuQuota must not be mixed on one container: a
 *   container limited by NanoCpus is limited again through NanoCpus, any other through
 *   CpuQuota (with the period it has, 100 ms when unset);
 * - MemorySwap -1 never reaches the cgroup: a swap allowance that was unlimited is kept
 *   unlimited with the kernel's unlimited value, a limited one keeps its size.
 */

/** The largest value a memory cgroup holds: the kernel shows it for "no limit" (2^63 - 4096). */
// biome-ignore lint/correctness/noPrecisionLoss: 2^63 − 4096 is a multiple of 1024, which doubles this large hold exactly
export const UNLIMITED_MEMORY = 9_223_372_036_854_771_712;

/** The CFS period the kernel uses when none is set, in microseconds. */
export const DEFAULT_CPU_PERIOD_US = 100_000;

/** The kernel refuses a CFS quota below 1 ms. */
export const MIN_CPU_QUOTA_US = 1_000;

/** What the playbook asks for: a number of CPUs and/or bytes of memory. */
export interface WantedLimits {
  cpus?: number | undefined;
  memory?: number | undefined;
}

/** 0 and -1 mean "unset"; the kernel's maximum means "no limit" too. */
export function isMemoryLimited(bytes: number): boolean {
  return bytes > 0 && bytes < UNLIMITED_MEMORY;
}

export function cpuPeriodOf(limits: ResourceLimits): number {
  return limits.cpuPeriod > 0 ? limits.cpuPeriod : DEFAULT_CPU_PERIOD_US;
}

/** The fields to send to apply `wanted` to a container whose limits are `before`. */
export function applyUpdate(wanted: WantedLimits, before: ResourceLimits): Partial<ResourceLimits> {
  const update: Partial<ResourceLimits> = {};
  if (wanted.cpus !== undefined) {
    if (before.nanoCpus > 0) update.nanoCpus = Math.round(wanted.cpus * 1e9);
    else update.cpuQuota = Math.round(wanted.cpus * cpuPeriodOf(before));
  }
  if (wanted.memory !== undefined) {
    update.memory = wanted.memory;
    // The engine refuses a memory limit without a swap limit at least as large when none is set.
    update.memorySwap = hasSwapLimit(before) ? wanted.memory + (before.memorySwap - before.memory) : UNLIMITED_MEMORY;
  }
  return update;
}

/**
 * The fields to send to put `before` back on a container whose limits are `current` now; empty
 * when they are back already (a second revert, or a revert after an inject that never ran).
 * Without `current`, every field the fault may have changed (for commands to run by hand).
 */
export function restoreUpdate(wanted: WantedLimits, before: ResourceLimits, current?: ResourceLimits): Partial<ResourceLimits> {
  const update: Partial<ResourceLimits> = {};
  if (wanted.cpus !== undefined && !(current && cpuRestored(before, current))) {
    if (before.nanoCpus > 0) update.nanoCpus = before.nanoCpus;
    else update.cpuQuota = before.cpuQuota > 0 ? before.cpuQuota : -1;
  }
  if (wanted.memory !== undefined && !(current && memoryRestored(before, current))) {
    update.memory = isMemoryLimited(before.memory) ? before.memory : UNLIMITED_MEMORY;
    if (isMemoryLimited(before.memorySwap)) update.memorySwap = before.memorySwap;
    // Sent only when needed, which leaves cgroup v2's swap.max alone; the engine refuses a
    // memory limit above the current swap limit unless both are sent.
    else if (!current || current.memorySwap < UNLIMITED_MEMORY) update.memorySwap = UNLIMITED_MEMORY;
  }
  return update;
}

/** Whether the limits the fault changes are as they were (no limit counts as equal to no limit). */
export function limitsRestored(wanted: WantedLimits, before: ResourceLimits, current: ResourceLimits): boolean {
  return (wanted.cpus === undefined || cpuRestored(before, current)) && (wanted.memory === undefined || memoryRestored(before, current));
}

function cpuRestored(before: ResourceLimits, current: ResourceLimits): boolean {
  const sameQuota = current.cpuQuota === before.cpuQuota || (current.cpuQuota <= 0 && before.cpuQuota <= 0);
  return current.nanoCpus === before.nanoCpus && sameQuota;
}

function memoryRestored(before: ResourceLimits, current: ResourceLimits): boolean {
  return sameMemory(current.memory, before.memory) && sameMemory(current.memorySwap, before.memorySwap);
}

function sameMemory(a: number, b: number): boolean {
  return a === b || (!isMemoryLimited(a) && !isMemoryLimited(b));
}

function hasSwapLimit(limits: ResourceLimits): boolean {
  return isMemoryLimited(limits.memory) && isMemoryLimited(limits.memorySwap);
}

/**
 * The HostConfig fields that read differently from before although the limits are restored
 * ("CpuQuota -1 instead of 0", "Memory 9223372036854771712 instead of 0"): the engine cannot
 * write "unset" back, so "no limit" returns as the kernel's own no-limit values. Said in the
 * revert's words, so that nobody takes `docker inspect` for a limit left behind.
 */
export function hostConfigChanges(wanted: WantedLimits, before: ResourceLimits, now: ResourceLimits): string[] {
  const fields: [keyof ResourceLimits, string][] = [];
  if (wanted.cpus !== undefined) fields.push(['nanoCpus', 'NanoCpus'], ['cpuQuota', 'CpuQuota']);
  if (wanted.memory !== undefined) fields.push(['memory', 'Memory'], ['memorySwap', 'MemorySwap']);
  return fields
    .filter(([field]) => now[field] !== before[field])
    .map(([field, name]) => `${name} ${exactInteger(now[field])} instead of ${exactInteger(before[field])}`);
}

/** "0.25 CPUs (CpuQuota 25000 per 100000 µs)", for plans. */
export function describeUpdate(update: Partial<ResourceLimits>, before: ResourceLimits): string {
  const parts: string[] = [];
  if (update.nanoCpus !== undefined) parts.push(`${update.nanoCpus / 1e9} CPUs (NanoCpus ${update.nanoCpus})`);
  if (update.cpuQuota !== undefined) parts.push(describeQuota(update.cpuQuota, cpuPeriodOf(before)));
  if (update.memory !== undefined) parts.push(describeMemory(update.memory, update.memorySwap ?? before.memorySwap));
  return parts.join(' and ');
}

/** The limits a container had, in words: "no CPU limit and 256 MiB of memory (memory+swap 512 MiB)". */
export function describeLimits(wanted: WantedLimits, limits: ResourceLimits): string {
  const parts: string[] = [];
  if (wanted.cpus !== undefined) {
    if (limits.nanoCpus > 0) parts.push(`${limits.nanoCpus / 1e9} CPUs (NanoCpus ${limits.nanoCpus})`);
    else if (limits.cpuQuota > 0) parts.push(describeQuota(limits.cpuQuota, cpuPeriodOf(limits)));
    else parts.push('no CPU limit');
  }
  if (wanted.memory !== undefined) {
    parts.push(isMemoryLimited(limits.memory) ? describeMemory(limits.memory, limits.memorySwap) : 'no memory limit');
  }
  return parts.join(' and ');
}

function describeQuota(quota: number, period: number): string {
  if (quota <= 0) return 'no CPU limit (CpuQuota -1)';
  return `${Number((quota / period).toFixed(4))} CPUs (CpuQuota ${quota} per ${period} µs period)`;
}

function describeMemory(memory: number, memorySwap: number): string {
  if (!isMemoryLimited(memory)) return 'no memory limit';
  const swap = isMemoryLimited(memorySwap) ? `memory+swap ${formatBytes(memorySwap)}` : 'swap unlimited';
  return `${formatBytes(memory)} of memory (${memory} bytes, ${swap})`;
}

/** The fields as the engine's API names them: "NanoCpus 500000000, Memory 268435456". */
export function updateFields(update: Partial<ResourceLimits>): string {
  const names: [keyof ResourceLimits, string][] = [
    ['nanoCpus', 'NanoCpus'],
    ['cpuQuota', 'CpuQuota'],
    ['memory', 'Memory'],
    ['memorySwap', 'MemorySwap'],
  ];
  return names.flatMap(([ours, theirs]) => (update[ours] === undefined ? [] : [`${theirs} ${exactInteger(update[ours])}`])).join(', ');
}

/** The `docker update` command that sends `update` by hand. */
export function dockerUpdateCommand(containerId: string, update: Partial<ResourceLimits>): string {
  const flags: string[] = [];
  if (update.nanoCpus !== undefined) flags.push(`--cpus ${update.nanoCpus / 1e9}`);
  if (update.cpuQuota !== undefined) flags.push(`--cpu-quota ${update.cpuQuota}`);
  if (update.memory !== undefined) flags.push(`--memory ${exactInteger(update.memory)}`);
  if (update.memorySwap !== undefined) flags.push(`--memory-swap ${exactInteger(update.memorySwap)}`);
  return `docker update ${flags.join(' ')} ${containerId}`;
}

/** Integers beyond 2^53 spelled exactly ("9223372036854771712", not "9223372036854772000"). */
function exactInteger(value: number): string {
  return BigInt(value).toString();
}
