import type { ScaffoldService } from './compose-services.js';
import { programs } from './service-software.js';

/**
 * How the other services of a project name a service: an environment value that points at
 * its host (`CELERY_BROKER_URL=redis://queue:6379/0`, `REDIS_HOST=cache`), a Laravel-style
 * driver set to redis, a job worker that names it, or `depends_on`. The role says what the
 * naming implies: a broker, a database or a member of a sentinel, cluster or replicated
 * setup holds data; a cache does not; plain naming says neither.
 */

export type ReferenceRole = 'replication' | 'broker' | 'database' | 'cache' | 'plain';

export interface Reference {
  /** The service that names it. */
  from: string;
  role: ReferenceRole;
  /** Where, for people: "worker's CELERY_BROKER_URL names it". */
  how: string;
}

/** Keys that say what a value is for; the first that fits wins (a CELERY_RESULT_BACKEND is a broker's, not a database's; REDIS_CLUSTER_CACHE a cluster's). */
const KEY_ROLES: [RegExp, ReferenceRole][] = [
  [/SENTINEL|CLUSTER|(^|_)(MASTER|PRIMARY|REPLICAS?|SLAVES?)(_|$)/i, 'replication'],
  [/BROKER|QUEUE|CELERY|SIDEKIQ|(^|_)RQ(_|$)|(^|_)BULL|(^|_)JOBS?(_|$)|RESULT_BACKEND|CHANNEL_LAYER|PUBSUB/i, 'broker'],
  [/DATABASE|(^|_)DB(_|$)|STORE|STORAGE|PERSIST|SESSION|LEDGER/i, 'database'],
  [/CACHE/i, 'cache'],
];

/** Laravel (and alike) pick a redis for queues and sessions by a driver name, and name the host elsewhere. */
const DRIVER_KEYS = /^(QUEUE_(DRIVER|CONNECTION)|SESSION_(DRIVER|CONNECTION)|BROADCAST_(DRIVER|CONNECTION))$/i;

/** Programs (and subcommands: `php artisan queue:work`, `rake jobs:work`) that take jobs from a broker. */
const JOB_WORKERS = new Set([
  'celery',
  'sidekiq',
  'rq',
  'rqworker',
  'dramatiq',
  'arq',
  'huey',
  'faktory',
  'resque',
  'horizon',
  'queue:work',
  'queue:listen',
  'jobs:work',
  'resque:work',
  'messenger:consume',
  'good_job',
  'solid_queue',
  'taskiq',
  'saq',
]);

/** A script named for taking jobs: `npm run worker`, `node dist/jobs.js`, `python queue_consumer.py`. */
const WORKER_SCRIPT = /(^|[-_:.])(workers?|jobs?|queues?|consumers?)($|[-_:.])/;

export function referencesTo(target: ScaffoldService, services: readonly ScaffoldService[], targetIsRedis: boolean): Reference[] {
  const found: Reference[] = [];
  for (const other of services) {
    if (other.name === target.name) continue;
    const keys = Object.entries(other.environment)
      .filter(([, value]) => namesHost(value, target.name))
      .map(([key]) => key);
    for (const key of keys) {
      // Sentinel, cluster and primary/replica keys speak of a redis; EDGE_PRIMARY=app-a names a backend.
      const role = KEY_ROLES.find(([pattern, role]) => (role !== 'replication' || targetIsRedis) && pattern.test(key))?.[1] ?? 'plain';
      found.push({ from: other.name, role, how: `${other.name}'s ${key} names it` });
    }
    const names = keys.length > 0 || other.dependsOn.includes(target.name);
    if (!names) continue;
    const where = keys.length > 0 ? `names it in ${keys[0]}` : 'depends on it';
    if (targetIsRedis) {
      const driver = Object.entries(other.environment).find(
        ([key, value]) => DRIVER_KEYS.test(key) && /^(redis|valkey)$/i.test(value.trim()),
      );
      if (driver) found.push({ from: other.name, role: 'broker', how: `${other.name} sets ${driver[0]}=${driver[1]} and ${where}` });
    }
    const worker = programs([other.entrypoint, other.command].join(' && ')).find(
      (program) => JOB_WORKERS.has(program) || WORKER_SCRIPT.test(program),
    );
    if (worker) found.push({ from: other.name, role: 'broker', how: `${other.name} runs ${worker}, a job worker, and ${where}` });
    if (keys.length === 0) found.push({ from: other.name, role: 'plain', how: `${other.name} depends on it` });
  }
  return found;
}

/**
 * Whether an environment value points at `host`: the whole value, or the host part of a URL
 * or an address list (`redis://:pw@cache:6379/0`, `cache:11211,cache2:11211`).
 */
export function namesHost(value: string, host: string): boolean {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[/@,;\\s=])${escaped}(?=$|[:/,;\\s?])`, 'i').test(value.trim());
}

/**
 * The stores a service names in the same value as `target` (`REDIS_NODES=r1:6379,r2:6379`,
 * `STORE_HOSTS=store-a,store-b`): one store made of several services, not another store.
 */
export function namedTogether(service: ScaffoldService, stores: readonly string[], target: string): string[] {
  const values = Object.values(service.environment).filter((value) => namesHost(value, target));
  return stores.filter((name) => name !== target && values.some((value) => namesHost(value, name)));
}

/**
 * Whether a service names, in its environment or `depends_on`, a store other than `target`
 * and those it names together with it; a DATABASE_URL to elsewhere counts.
 */
export function namesOtherStore(service: ScaffoldService, stores: readonly string[], target: string): string | undefined {
  const together = new Set(namedTogether(service, stores, target));
  const others = stores.filter((name) => name !== target && !together.has(name));
  for (const [key, value] of Object.entries(service.environment)) {
    if (value.trim() === '' || namesHost(value, target)) continue;
    const store = others.find((name) => namesHost(value, name));
    if (store) return store;
    if (/DATABASE_URL|(^|_)DB_HOST$|^(POSTGRES|MYSQL|MONGO)(DB)?_(HOST|URL|URI)$/i.test(key)) return `the database in its ${key}`;
  }
  return service.dependsOn.find((name) => others.includes(name));
}
