import type { ScaffoldService } from './compose-services.js';
import { dockerfileFacts, type DockerfileFacts } from './dockerfile-facts.js';
import { nginxCachePaths } from './nginx-cache.js';
import { namespaceDependants } from './namespace-sharing.js';
import { mountedConfigs, redisSetup, type MountedConfig, type RedisSetup } from './redis-setup.js';
import { namedTogether, namesOtherStore, referencesTo, type Reference, type ReferenceRole } from './service-references.js';
import { probeFor } from './service-probes.js';
import { databaseSign, softwareOf, type Software } from './service-software.js';
import { nameSaysCache, nameSaysData, writableMounts } from './service-traits.js';
import type { StarterService } from './starter-common.js';

/**
 * Every fact the starters are written from, per service: what it runs, whether it holds data
 * (and every reason it does), whether it is a cache (and every sign it is), how to observe
 * it, who shares its namespaces. Reading
 * files (Dockerfiles, mounted configuration) is kept apart from judging, so that the judging
 * is a pure function of the compose model and what those files said.
 */

export interface ServiceFiles {
  dockerfile?: DockerfileFacts;
  configs: MountedConfig[];
  /** proxy_cache_path directories, for a service that runs nginx. */
  nginxCaches: string[];
}

export async function readServiceFiles(services: readonly ScaffoldService[]): Promise<Map<string, ServiceFiles>> {
  const files = new Map<string, ServiceFiles>();
  for (const service of services) {
    const dockerfile = service.buildContext === undefined ? undefined : await dockerfileFacts(service.buildContext);
    const nginx = softwareOf(service, dockerfile).kind === 'nginx';
    files.set(service.name, {
      ...(dockerfile ? { dockerfile } : {}),
      configs: await mountedConfigs(service),
      nginxCaches: nginx ? await nginxCachePaths(service) : [],
    });
  }
  return files;
}

export interface AssessOptions {
  /** Service → region. */
  regionOf: ReadonlyMap<string, string>;
  /** Services the user named caches (--cache): emptied even though they look like they hold data. */
  namedCaches: ReadonlySet<string>;
}

/**
 * The services compose starts, judged against every service of the model: one behind a
 * profile (or with no replica) has no container to drill, but what it says about the others
 * still counts — a worker behind a profile still takes its jobs from the broker it names, and
 * a replica not started still copies its primary once it is.
 */
export function assessServices(
  started: readonly ScaffoldService[],
  all: readonly ScaffoldService[],
  files: ReadonlyMap<string, ServiceFiles>,
  opts: AssessOptions,
): StarterService[] {
  const filesOf = (service: ScaffoldService): ServiceFiles => files.get(service.name) ?? { configs: [], nginxCaches: [] };
  const software = new Map(all.map((service) => [service.name, softwareOf(service, filesOf(service).dockerfile)]));
  const redisSetups = new Map(
    all
      .filter((service) => software.get(service.name)!.kind === 'redis')
      .map((service) => [service.name, redisSetup(service, filesOf(service).configs)]),
  );
  const replicasOf = new Map<string, string[]>();
  for (const [name, setup] of redisSetups)
    if (setup.replicaOf) replicasOf.set(setup.replicaOf, [...(replicasOf.get(setup.replicaOf) ?? []), name]);
  const watchedBy = new Map<string, string[]>();
  for (const [name, setup] of redisSetups)
    for (const { host, where } of setup.watches)
      watchedBy.set(host, [...(watchedBy.get(host) ?? []), `${name} watches it as a primary (${where})`]);
  // What another service could keep its data in: databases, redis, and what is named like a store.
  const stores = all
    .filter((service) => ['database', 'redis'].includes(software.get(service.name)!.kind) || nameSaysData(service) !== undefined)
    .map((service) => service.name);

  return started.map((service): StarterService => {
    const own = software.get(service.name)!;
    const { dockerfile, nginxCaches } = filesOf(service);
    const setup = redisSetups.get(service.name);
    const authReady = setup?.auth === undefined || (service.environment.REDISCLI_AUTH ?? '') !== '';
    const references = referencesTo(service, all, own.kind === 'redis');
    const neighbours = { services: all, stores, replicas: replicasOf.get(service.name) ?? [], watchers: watchedBy.get(service.name) ?? [] };
    const holdsData = dataReasons(service, own, neighbours, references, setup, nginxCaches);
    const volumes = writableMounts(service, nginxCaches);
    const statefulBecause = crashRefusal(service, own, dockerfile, holdsData);
    const entry: StarterService = {
      service,
      software: own,
      probe: probeFor(service, own.kind, authReady),
      holdsData,
      cacheSigns: cacheSigns(service, references, setup),
      nginxCaches,
      namespaceDependants: namespaceDependants(service.name, all),
      namedCache: opts.namedCaches.has(service.name),
      inMemoryData: own.kind === 'redis' && holdsData.length > 0 && setup?.persists === undefined && volumes.length === 0,
      ...(statefulBecause === undefined ? {} : { statefulBecause }),
      ...(setup ? { redis: { ...setup, authReady } } : {}),
    };
    const region = opts.regionOf.get(service.name);
    if (region !== undefined) entry.region = region;
    return entry;
  });
}

/** What the other services say about one service. */
interface Neighbours {
  services: readonly ScaffoldService[];
  /** Services that could hold another service's data. */
  stores: readonly string[];
  /** The redis services that replicate from this one. */
  replicas: readonly string[];
  /** How sentinels say they watch this one: "sentinel watches it as a primary (…)". */
  watchers: readonly string[];
}

/** Every reason to believe the service holds data that a purge would destroy. */
function dataReasons(
  service: ScaffoldService,
  software: Software,
  { services, stores, replicas, watchers }: Neighbours,
  references: readonly Reference[],
  setup: RedisSetup | undefined,
  nginxCaches: readonly string[],
): string[] {
  const reasons: string[] = [];
  if (software.kind === 'database') reasons.push(`it runs a database (${software.basis})`);
  const named = nameSaysData(service);
  if (named) reasons.push(named);
  if (setup?.replicaOf) reasons.push(`it is a replica of ${setup.replicaOf}`);
  if (replicas.length > 0) reasons.push(`${replicas.join(', ')} ${replicas.length === 1 ? 'replicates' : 'replicate'} from it`);
  if (setup?.cluster) reasons.push(`it is a node of a redis cluster (${setup.cluster})`);
  if (setup?.sentinel) reasons.push(`it is a redis sentinel (${setup.sentinel})`);
  reasons.push(...watchers);
  if (setup?.persists) reasons.push(`it persists (${setup.persists})`);
  if (setup?.unknownConfig) reasons.push(setup.unknownConfig);
  const volumes = writableMounts(service, nginxCaches);
  if (volumes.length > 0 && software.kind !== 'nginx') reasons.push(`it writes to ${volumes.join(', ')}`);

  // One reason per service that names it so: the first way it does.
  const told = new Set<string>();
  for (const reference of references) {
    const meaning = DATA_ROLES[reference.role];
    if (meaning === undefined || told.has(`${reference.from} ${reference.role}`)) continue;
    told.add(`${reference.from} ${reference.role}`);
    reasons.push(`${reference.how}: ${meaning}`);
  }
  if (software.kind === 'redis') {
    // An application whose only store is this redis keeps its data there, whatever the variable is called.
    const users = [...new Set(references.filter((reference) => reference.role === 'plain').map((reference) => reference.from))];
    for (const user of users) {
      const other = services.find((candidate) => candidate.name === user)!;
      if (namesOtherStore(other, stores, service.name) !== undefined) continue;
      const together = namedTogether(other, stores, service.name);
      reasons.push(
        together.length === 0 ? `it is the only store ${user} names` : `it and ${together.join(', ')} are the only stores ${user} names`,
      );
    }
  }
  // The weakest sign last: nothing switched redis's own snapshots off.
  if (setup?.defaultSnapshots) reasons.push(`it persists (${setup.defaultSnapshots})`);
  return [...new Set(reasons)];
}

/** What a reference in each role says about the service it names; roles absent here say nothing of data. */
const DATA_ROLES: Partial<Record<ReferenceRole, string>> = {
  replication: 'it is part of a sentinel, cluster or replicated setup',
  broker: 'it is a broker of jobs or messages',
  database: 'it is used as a database or store',
};

/**
 * Every positive sign that a store is a cache: its name or role label, another service that
 * names it under a key that says cache, or its configuration (an eviction policy, nothing
 * kept on disk). A redis is emptied only with one of these, and none of the signs of data.
 */
function cacheSigns(service: ScaffoldService, references: readonly Reference[], setup: RedisSetup | undefined): string[] {
  const signs: string[] = [];
  const named = nameSaysCache(service);
  if (named) signs.push(named);
  for (const reference of references) if (reference.role === 'cache') signs.push(reference.how);
  if (setup?.evicts) signs.push(`it evicts keys as a cache does (${setup.evicts})`);
  if (setup?.keepsNothing) signs.push(`it keeps nothing on disk (${setup.keepsNothing})`);
  return [...new Set(signs)];
}

/** Why a SIGKILL would not be a crash of something stateless; undefined when nothing says so. */
function crashRefusal(
  service: ScaffoldService,
  software: Software,
  dockerfile: DockerfileFacts | undefined,
  holdsData: string[],
): string | undefined {
  const database = databaseSign(service, dockerfile);
  if (database) return `it runs a database (${database})`;
  if (software.kind === 'redis' || software.kind === 'memcached') return `it runs a data store (${software.kind}: ${software.basis})`;
  if (holdsData[0]) return holdsData[0];
  const volumes = writableMounts(service);
  return volumes.length > 0 ? `it writes to ${volumes.join(', ')}` : undefined;
}
