import type { ScaffoldService } from './compose-services.js';
import { programs } from './service-software.js';

/**
 * How the other services of a project name a service: an environment value that points at
 * its host (`CELERY_BROKER_URL=redis://queue:6379/0`, `REDIS_HOST=cache`), a Laravel-style
 * driver set to redis, a job worker that names it, or `depends_on`. The role says what the
 * naming implies: a broker or a database holds data; a cache does not; plain naming says
 * neither.
 */

export type ReferenceRole = 'broker' | 'database' | 'cache' | 'plain';

export interface Reference {
  /** The service that names it. */
  from: string;
  role: ReferenceRole;
  /** Where, for people: "worker's CELERY_BROKER_URL names it". */
  how: string;
}

/** Keys that say what a value is for; the first that fits wins (a CELERY_RESULT_BACKEND is a broker's, not a database's). */
const KEY_ROLES: [RegExp, ReferenceRole][] = [
  [/BROKER|QUEUE|CELERY|SIDEKIQ|(^|_)RQ(_|$)|(^|_)BULL|(^|_)JOBS?(_|$)|RESULT_BACKEND|CHANNEL_LAYER|PUBSUB/i, 'broker'],
  [/DATABASE|(^|_)DB(_|$)|STORE|STORAGE|PERSIST|SESSION|LEDGER/i, 'database'],
  [/CACHE/i, 'cache'],
];

/** Laravel (and alike) pick a redis for queues and sessions by a driver name, and name the host elsewhere. */
const DRIVER_KEYS = /^(QUEUE_(DRIVER|CONNECTION)|SESSION_(DRIVER|CONNECTION)|BROADCAST_(DRIVER|CONNECTION))$/i;

/** Programs that take jobs from a broker. */
const JOB_WORKERS = new Set(['celery', 'sidekiq', 'rq', 'dramatiq', 'arq', 'huey', 'faktory', 'resque', 'horizon']);

export function referencesTo(target: ScaffoldService, services: readonly ScaffoldService[], targetIsRedis: boolean): Reference[] {
  const found: Reference[] = [];
  for (const other of services) {
    if (other.name === target.name) continue;
    const keys = Object.entries(other.environment).filter(([, value]) => namesHost(value, target.name)).map(([key]) => key);
    for (const key of keys) {
      const role = KEY_ROLES.find(([pattern]) => pattern.test(key))?.[1] ?? 'plain';
      found.push({ from: other.name, role, how: `${other.name}'s ${key} names it` });
    }
    const names = keys.length > 0 || other.dependsOn.includes(target.name);
    if (!names) continue;
    const where = keys.length > 0 ? `names it in ${keys[0]}` : 'depends on it';
    if (targetIsRedis) {
      const driver = Object.entries(other.environment).find(([key, value]) => DRIVER_KEYS.test(key) && /^(redis|valkey)$/i.test(value.trim()));
      if (driver) found.push({ from: other.name, role: 'broker', how: `${other.name} sets ${driver[0]}=${driver[1]} and ${where}` });
    }
    const worker = programs([other.entrypoint, other.command].join(' && ')).find((program) => JOB_WORKERS.has(program)) ?? workerModule(other);
    if (worker) found.push({ from: other.name, role: 'broker', how: `${other.name} runs ${worker}, a job worker, and ${where}` });
    if (keys.length === 0) found.push({ from: other.name, role: 'plain', how: `${other.name} depends on it` });
  }
  return found;
}

/** `python -m celery …`, `python -m rq …`: a worker started as a module. */
function workerModule(service: ScaffoldService): string | undefined {
  const match = /\s-m\s+([a-z_]+)/i.exec([service.entrypoint, service.command].join(' '));
  return match && JOB_WORKERS.has(match[1]!.toLowerCase()) ? match[1]!.toLowerCase() : undefined;
}

/**
 * Whether an environment value points at `host`: the whole value, or the host part of a URL
 * or an address list (`redis://:pw@cache:6379/0`, `cache:11211,cache2:11211`).
 */
export function namesHost(value: string, host: string): boolean {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[/@,;\\s=])${escaped}(?=$|[:/,;\\s?])`, 'i').test(value.trim());
}

/** Whether a service names, in its environment, a database outside the services given (a DATABASE_URL to elsewhere counts). */
export function namesOtherStore(service: ScaffoldService, stores: readonly string[]): string | undefined {
  for (const [key, value] of Object.entries(service.environment)) {
    if (value.trim() === '') continue;
    const store = stores.find((name) => namesHost(value, name));
    if (store) return store;
    if (/DATABASE_URL|(^|_)DB_HOST$|^(POSTGRES|MYSQL|MONGO)(DB)?_(HOST|URL|URI)$/i.test(key)) return `the database in its ${key}`;
  }
  return service.dependsOn.find((name) => stores.includes(name));
}
