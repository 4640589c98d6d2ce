import { basename } from 'node:path';
import type { ScaffoldService } from './compose-services.js';

/**
 * What a service looks like from its compose definition: the software it runs (judged from
 * its image, build context and command), and whether it keeps state. These are guesses for a
 * scaffold, and the playbooks say what they were based on.
 */

export type Software = 'redis' | 'memcached' | 'nginx' | 'database' | 'other';

/** Stores whose data is the point; losing one is not a "stateless crash". */
const DATABASES = /\b(postgres|postgis|timescaledb|mysql|mariadb|percona|mongo|mongodb|cassandra|scylla|elasticsearch|opensearch|kafka|zookeeper|rabbitmq|nats|etcd|consul|minio|clickhouse|influxdb|cockroach|neo4j|couchdb|couchbase|mssql|sqlserver|oracle)/;

/** What the service is built from, in lower case: its image and its build context directory. */
function origin(service: ScaffoldService): string {
  return [service.image ?? '', service.buildContext ? basename(service.buildContext) : ''].join(' ').toLowerCase();
}

/**
 * The programs its command starts: words at the head of a command (first, after `&&`, `;`,
 * `sh -c` or `exec`), so that an app given `--cache-host redis` does not pass for a redis.
 */
function startedPrograms(service: ScaffoldService): string {
  const heads = /(?:^|&&|\|\||;|\s-c\s)\s*['"]?(?:exec\s+)?([a-z0-9_./-]+)/g;
  const programs = [...service.command.toLowerCase().matchAll(heads)].map((match) => basename(match[1]!));
  return programs.join(' ');
}

export function softwareOf(service: ScaffoldService): Software {
  for (const text of [origin(service), startedPrograms(service)]) {
    if (/\b(redis|valkey|keydb)/.test(text)) return 'redis';
    if (/\bmemcached\b/.test(text)) return 'memcached';
    if (/\b(nginx|openresty)\b/.test(text)) return 'nginx';
    if (DATABASES.test(text)) return 'database';
  }
  return 'other';
}

/** A mount the service can write to and that outlives its container. */
function writableMounts(service: ScaffoldService): string[] {
  return service.mounts.filter((mount) => mount.kind !== 'tmpfs' && !mount.readOnly).map((mount) => mount.target);
}

/** Why a service keeps state, or undefined when it looks stateless; `software` as softwareOf says. */
export function statefulBecause(service: ScaffoldService, software: Software = softwareOf(service)): string | undefined {
  if (software === 'redis' || software === 'memcached' || software === 'database') return `it runs a data store (${software === 'database' ? 'a database' : software})`;
  const writable = writableMounts(service);
  if (writable.length > 0) return `it writes to ${writable.join(', ')}`;
  return undefined;
}

/**
 * A redis that serves as a cache rather than as a store of record, so that a FLUSHALL is a
 * drill and not data loss: named like a cache, configured to evict (maxmemory-policy), or
 * neither persisting (appendonly) nor mounting anything it could persist to.
 */
export function redisLooksLikeCache(service: ScaffoldService): boolean {
  if (/cache/i.test(service.name)) return true;
  const command = service.command.toLowerCase();
  if (/maxmemory-policy/.test(command)) return true;
  return !/appendonly\s+yes/.test(command) && writableMounts(service).length === 0;
}
