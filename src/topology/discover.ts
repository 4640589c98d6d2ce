import type { ContainerInfo, EngineIdentity, ProjectDiscovery } from '../engine/ports.js';
import { EnvironmentError } from '../errors.js';
import type { ServiceInfo, Topology } from './topology.js';
import { composeCommandName } from './compose-command-name.js';

export interface DiscoverOptions {
  /** The compose project name (the com.docker.compose.project label). */
  project: string;
  /** The container label naming a service's region, e.g. "firedrill.region". */
  regionLabel: string;
  /** The playbook's mapping region → services; it wins over the label for the services it names. */
  regions?: Record<string, string[]>;
  signal?: AbortSignal;
}

/**
 * Takes the snapshot of a compose project a drill works against: services from the compose
 * labels (never container names, which differ between compose v1 and v2), their containers
 * running or not, the project's networks, and regions. Everything is sorted so that the
 * same project gives the same topology, and the same plan.
 */
export async function discoverTopology(engine: ProjectDiscovery & EngineIdentity, opts: DiscoverOptions): Promise<Topology> {
  const call = { signal: opts.signal };
  const [containers, networks] = await Promise.all([
    engine.listProjectContainers(opts.project, call),
    engine.listProjectNetworks(opts.project, call),
  ]);
  if (containers.length === 0) {
    throw new EnvironmentError(
      `compose project "${opts.project}" has no containers on ${engine.endpoint} — bring it up first ` +
        `(${composeCommandName()} -p ${opts.project} -f <file> up -d)`,
    );
  }
  const services = groupByService(containers);
  const regionOf = regionAssignment(services, opts.regionLabel, opts.regions ?? {});
  for (const service of services) {
    const region = regionOf.get(service.name);
    if (region !== undefined) service.region = region;
  }
  return {
    project: opts.project,
    endpoint: engine.endpoint,
    services,
    networks: [...networks].sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id)),
    regions: regionsOf(regionOf),
  };
}

function groupByService(containers: ContainerInfo[]): ServiceInfo[] {
  const byName = new Map<string, ContainerInfo[]>();
  for (const container of containers) {
    const list = byName.get(container.service) ?? [];
    list.push(container);
    byName.set(container.service, list);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([name, list]) => ({
      name,
      containers: list.sort((a, b) => a.number - b.number || compare(a.name, b.name) || compare(a.id, b.id)),
    }));
}

/**
 * Region of each service: the label on its containers (the first container's, in order, when
 * they disagree), overridden by the playbook's mapping. The mapping may name services that
 * have no container; they are kept so that targeting them gives a clear ScopeError. A service
 * the mapping puts in two regions ends in the last one by name (the playbook checks reject that).
 */
function regionAssignment(services: ServiceInfo[], regionLabel: string, mapping: Record<string, string[]>): Map<string, string> {
  const regionOf = new Map<string, string>();
  for (const service of services) {
    const labelled = service.containers.map((c) => c.labels[regionLabel]).find((value) => value !== undefined && value !== '');
    if (labelled !== undefined) regionOf.set(service.name, labelled);
  }
  for (const region of Object.keys(mapping).sort(compare)) {
    for (const service of mapping[region] ?? []) regionOf.set(service, region);
  }
  return regionOf;
}

function regionsOf(regionOf: Map<string, string>): Record<string, string[]> {
  const regions: Record<string, string[]> = {};
  for (const [service, region] of regionOf) (regions[region] ??= []).push(service);
  const sorted: Record<string, string[]> = {};
  for (const region of Object.keys(regions).sort(compare)) sorted[region] = regions[region]!.sort(compare);
  return sorted;
}

/** Locale-independent, so that plans are identical on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
