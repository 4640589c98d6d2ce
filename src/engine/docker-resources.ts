import type Docker from 'dockerode';
import type { ResourceLimits } from './ports.js';

/**
 * CPU and memory limits through the Docker API: read from HostConfig, changed with
 * POST /containers/{id}/update, which works on running, paused and stopped containers.
 *
 * What the update API does, measured on Engine 20.10.24 (API 1.41, runc 1.1.5, cgroup v1):
 * - 0 means "leave unchanged" for every field: a limit, once set, cannot be set back to 0.
 *   -1 is refused for Memory ("Minimum memory limit allowed is 6MB") and for NanoCpus.
 * - CpuQuota -1 is accepted and written to the cgroup (cfs_quota_us = -1: no CPU limit);
 *   HostConfig then says CpuQuota -1 instead of 0. When a container is (re)started the
 *   engine lets CpuQuota override NanoCpus, so the two must not be mixed on one container.
 * - NanoCpus cannot be changed once CpuQuota or CpuPeriod is set (> 0), nor CpuQuota or
 *   CpuPeriod once NanoCpus is set: "Conflicting options".
 * - MemorySwap -1 is stored in HostConfig but never reaches the cgroup (the engine passes
 *   MemorySwap on to runc only when it is > 0), so HostConfig and the kernel disagree.
 * - Memory above the current MemorySwap (including an unset 0 or -1) is refused unless
 *   MemorySwap is sent in the same call.
 * - "No limit" can be written back as the kernel's own "unlimited" value,
 *   9223372036854771712 (2^63 - 4096), for Memory and MemorySwap together: the kernel clamps
 *   it, and the cgroup files then read exactly as on a container that never had a limit
 *   (cgroup v2 shows "max"); it survives a restart. JSON from JavaScript spells the number
 *   9223372036854772000 (the same double), so that is what HostConfig shows afterwards.
 * The fault that uses this (src/faults/resource-limits.ts) works around all of the above.
 */

/** HostConfig field names, as the API spells them. */
const FIELDS = {
  nanoCpus: 'NanoCpus',
  cpuQuota: 'CpuQuota',
  cpuPeriod: 'CpuPeriod',
  cpuShares: 'CpuShares',
  memory: 'Memory',
  memorySwap: 'MemorySwap',
  memoryReservation: 'MemoryReservation',
} as const satisfies Record<keyof ResourceLimits, string>;

export async function readResources(docker: Docker, id: string, signal?: AbortSignal): Promise<ResourceLimits> {
  const info = await docker.getContainer(id).inspect({ abortSignal: signal });
  const host = (info.HostConfig ?? {}) as Record<string, unknown>;
  const limits = {} as ResourceLimits;
  for (const [ours, theirs] of Object.entries(FIELDS) as [keyof ResourceLimits, string][]) {
    const value = host[theirs];
    limits[ours] = typeof value === 'number' ? value : 0;
  }
  return limits;
}

/** Sends only the fields given; a field left out stays as it is. */
export async function writeResources(docker: Docker, id: string, limits: Partial<ResourceLimits>, signal?: AbortSignal): Promise<void> {
  const body: Record<string, number> = {};
  for (const [ours, theirs] of Object.entries(FIELDS) as [keyof ResourceLimits, string][]) {
    const value = limits[ours];
    if (value !== undefined) body[theirs] = value;
  }
  // docker-modem takes abortSignal out of the options before sending the rest as the body.
  await docker.getContainer(id).update({ ...body, abortSignal: signal });
}
