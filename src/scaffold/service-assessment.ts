import type { ScaffoldService } from './compose-services.js';
import { dockerfileFacts, type DockerfileFacts } from './dockerfile-facts.js';
import { nginxCachePaths } from './nginx-cache.js';
import { mountedConfigs, redisSetup, type MountedConfig } from './redis-setup.js';
import { namesOtherStore, referencesTo } from './service-references.js';
import { probeFor } from './service-probes.js';
import { databaseSign, softwareOf, type Software } from './service-software.js';
import { nameSaysData, writableMounts } from './service-traits.js';
import type { StarterService } from './starter-common.js';

/**
 * Every fact the starters are written from, per service: what it runs, whether it holds data
 * (and every reason it does), how to observe it, who shares its network namespace. Reading
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

export function assessServices(services: readonly ScaffoldService[], files: ReadonlyMap<string, ServiceFiles>, opts: AssessOptions): StarterService[] {
  const filesOf = (service: ScaffoldService): ServiceFiles => files.get(service.name) ?? { configs: [], nginxCaches: [] };
  const software = new Map(services.map((service) => [service.name, softwareOf(service, filesOf(service).dockerfile)]));
  const redisSetups = new Map(services.filter((service) => software.get(service.name)!.kind === 'redis').map((service) => [service.name, redisSetup(service, filesOf(service).configs)]));
  // What another service could keep its data in: databases, redis, and what is named like a store.
  const replicasOf = new Map<string, string[]>();
  for (const [name, setup] of redisSetups) if (setup.replicaOf) replicasOf.set(setup.replicaOf, [...(replicasOf.get(setup.replicaOf) ?? []), name]);
  const stores = services.filter((service) => ['database', 'redis'].includes(software.get(service.name)!.kind) || nameSaysData(service) !== undefined).map((service) => service.name);

  return services.map((service): StarterService => {
    const own = software.get(service.name)!;
    const { dockerfile, configs, nginxCaches } = filesOf(service);
    const setup = redisSetups.get(service.name);
    const authReady = setup?.auth === undefined || (service.environment.REDISCLI_AUTH ?? '') !== '';
    const holdsData = dataReasons(service, own, { services, stores, replicas: replicasOf.get(service.name) ?? [] }, setup, nginxCaches);
    const volumes = writableMounts(service, nginxCaches);
    const statefulBecause = crashRefusal(service, own, dockerfile, holdsData);
    const entry: StarterService = {
      service,
      software: own,
      probe: probeFor(service, own.kind, authReady),
      holdsData,
      nginxCaches,
      namespaceDependants: services.filter((other) => other.networkMode === `service:${service.name}`).map((other) => other.name),
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

/** Every reason to believe the service holds data that a purge would destroy. */
interface Neighbours {
  services: readonly ScaffoldService[];
  /** Services that could hold another service's data. */
  stores: readonly string[];
  /** The redis services that replicate from this one. */
  replicas: readonly string[];
}

function dataReasons(
  service: ScaffoldService,
  software: Software,
  { services, stores, replicas }: Neighbours,
  setup: ReturnType<typeof redisSetup> | undefined,
  nginxCaches: readonly string[],
): string[] {
  const reasons: string[] = [];
  if (software.kind === 'database') reasons.push(`it runs a database (${software.basis})`);
  const named = nameSaysData(service);
  if (named) reasons.push(named);
  if (setup?.replicaOf) reasons.push(`it is a replica of ${setup.replicaOf}`);
  if (replicas.length > 0) reasons.push(`${replicas.join(', ')} ${replicas.length === 1 ? 'replicates' : 'replicate'} from it`);
  if (setup?.persists) reasons.push(`it persists (${setup.persists})`);
  if (setup?.unknownConfig) reasons.push(setup.unknownConfig);
  const volumes = writableMounts(service, nginxCaches);
  if (volumes.length > 0 && software.kind !== 'nginx') reasons.push(`it writes to ${volumes.join(', ')}`);

  const references = referencesTo(service, services, software.kind === 'redis');
  // One reason per service that names it so: the first way it does.
  const told = new Set<string>();
  for (const reference of references) {
    if (reference.role !== 'broker' && reference.role !== 'database') continue;
    if (told.has(`${reference.from} ${reference.role}`)) continue;
    told.add(`${reference.from} ${reference.role}`);
    reasons.push(`${reference.how}: ${reference.role === 'broker' ? 'it is a broker of jobs or messages' : 'it is used as a database or store'}`);
  }
  if (software.kind === 'redis') {
    // An application whose only store is this redis keeps its data there, whatever the variable is called.
    const users = [...new Set(references.filter((reference) => reference.role === 'plain').map((reference) => reference.from))];
    for (const user of users) {
      const other = services.find((candidate) => candidate.name === user)!;
      if (namesOtherStore(other, stores.filter((name) => name !== service.name)) === undefined) reasons.push(`it is the only store ${user} names`);
    }
  }
  return [...new Set(reasons)];
}

/** Why a SIGKILL would not be a crash of something stateless; undefined when nothing says so. */
function crashRefusal(service: ScaffoldService, software: Software, dockerfile: DockerfileFacts | undefined, holdsData: string[]): string | undefined {
  const database = databaseSign(service, dockerfile);
  if (database) return `it runs a database (${database})`;
  if (software.kind === 'redis' || software.kind === 'memcached') return `it runs a data store (${software.kind}: ${software.basis})`;
  if (holdsData[0]) return holdsData[0];
  const volumes = writableMounts(service);
  return volumes.length > 0 ? `it writes to ${volumes.join(', ')}` : undefined;
}
