import type { ContainerInfo, NetworkInfo } from '../engine/ports.js';
import { ScopeError } from '../errors.js';

/**
 * A compose project as discovered through the engine at the start of a drill.
 * Targets are resolved against this snapshot once and pinned by container id.
 */
export interface Topology {
  project: string;
  /** Where the engine was reached (for the journal). */
  endpoint: string;
  services: ServiceInfo[];
  networks: NetworkInfo[];
  /** Region name → service names, from the region label and/or the playbook's mapping. */
  regions: Record<string, string[]>;
}

export interface ServiceInfo {
  name: string;
  region?: string;
  containers: ContainerInfo[];
}

/** Containers of one service; a missing service or one with no container is a ScopeError. */
export function serviceContainers(topology: Topology, service: string): ContainerInfo[] {
  const found = topology.services.find((s) => s.name === service);
  if (!found) {
    const known = topology.services.map((s) => s.name).join(', ') || 'none';
    throw new ScopeError(`service "${service}" is not part of compose project "${topology.project}" (services: ${known})`);
  }
  if (found.containers.length === 0) {
    throw new ScopeError(`service "${service}" of compose project "${topology.project}" has no container; is the project up?`);
  }
  return found.containers;
}

/** Containers of every service of a region; an unknown or empty region is a ScopeError. */
export function regionContainers(topology: Topology, region: string): ContainerInfo[] {
  const services = topology.regions[region];
  if (!services || services.length === 0) {
    const known = Object.keys(topology.regions).join(', ') || 'none';
    throw new ScopeError(`region "${region}" has no service in compose project "${topology.project}" (regions: ${known})`);
  }
  return services.flatMap((service) => serviceContainers(topology, service));
}
