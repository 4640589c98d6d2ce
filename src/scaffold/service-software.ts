import { basename } from 'node:path';
import type { ScaffoldService } from './compose-services.js';
import type { DockerfileFacts } from './dockerfile-facts.js';

/**
 * What software a service runs, judged from what it runs: the programs its entrypoint and
 * command start, then its image's repository name as a whole (`redis:7`, `bitnami/redis`,
 * never a substring: `redis_exporter` is not a redis), then its Dockerfile's CMD and FROM,
 * then the programs its healthcheck calls. Files that happen to be in an image and the names
 * of directories say nothing. Each answer carries its basis, which the starters quote.
 */

export type SoftwareKind = 'redis' | 'memcached' | 'nginx' | 'database' | 'other';

export interface Software {
  kind: SoftwareKind;
  /** Why, for people: "its command runs redis-server", "its image is postgres:16". */
  basis: string;
}

/** Programs a container runs as its main process, by what they are. */
const PROGRAMS: Record<string, SoftwareKind> = {
  'redis-server': 'redis', 'valkey-server': 'redis', 'keydb-server': 'redis', 'redis-stack-server': 'redis', dragonfly: 'redis',
  memcached: 'memcached',
  nginx: 'nginx', openresty: 'nginx',
  postgres: 'database', postmaster: 'database', mysqld: 'database', mariadbd: 'database', mongod: 'database', sqlservr: 'database',
  cockroach: 'database', 'clickhouse-server': 'database', influxd: 'database', etcd: 'database', cassandra: 'database',
  elasticsearch: 'database', opensearch: 'database', 'kafka-server-start': 'database', 'kafka-server-start.sh': 'database',
  'zookeeper-server-start': 'database', 'zookeeper-server-start.sh': 'database', 'rabbitmq-server': 'database', 'nats-server': 'database',
  minio: 'database', neo4j: 'database', couchdb: 'database',
  // Runtimes and clients: a command that starts one of these runs an application, not a store.
  python: 'other', python3: 'other', node: 'other', npm: 'other', npx: 'other', yarn: 'other', pnpm: 'other', bun: 'other', deno: 'other',
  java: 'other', ruby: 'other', bundle: 'other', rails: 'other', php: 'other', 'php-fpm': 'other', dotnet: 'other', go: 'other',
  gunicorn: 'other', uvicorn: 'other', hypercorn: 'other', daphne: 'other', uwsgi: 'other', flask: 'other', celery: 'other',
  sidekiq: 'other', rq: 'other', puma: 'other', unicorn: 'other', perl: 'other', 'redis-cli': 'other', psql: 'other', mysql: 'other',
};

/** Image repositories, by their last path component (or their whole path, for those with a generic last one). */
const IMAGES: Record<string, SoftwareKind> = {
  redis: 'redis', valkey: 'redis', keydb: 'redis', 'redis-stack': 'redis', 'redis-stack-server': 'redis', dragonfly: 'redis',
  memcached: 'memcached',
  nginx: 'nginx', 'nginx-unprivileged': 'nginx', openresty: 'nginx',
  postgres: 'database', postgis: 'database', timescaledb: 'database', 'timescaledb-ha': 'database', pgvector: 'database',
  mysql: 'database', 'mysql-server': 'database', mariadb: 'database', percona: 'database', 'percona-server': 'database',
  mongo: 'database', mongodb: 'database', 'mongodb-community-server': 'database', cassandra: 'database', scylla: 'database',
  elasticsearch: 'database', opensearch: 'database', kafka: 'database', 'cp-kafka': 'database', zookeeper: 'database',
  'cp-zookeeper': 'database', rabbitmq: 'database', nats: 'database', etcd: 'database', consul: 'database', minio: 'database',
  'clickhouse-server': 'database', influxdb: 'database', cockroach: 'database', neo4j: 'database', couchdb: 'database',
  couchbase: 'database', 'azure-sql-edge': 'database', 'mssql/server': 'database', 'oracle/database': 'database',
  arangodb: 'database', rethinkdb: 'database', questdb: 'database', surrealdb: 'database',
};

/** Programs a healthcheck calls that only make sense inside that software's own container. */
const HEALTHCHECK_PROGRAMS: Record<string, SoftwareKind> = {
  'redis-cli': 'redis', 'valkey-cli': 'redis', pg_isready: 'database', mysqladmin: 'database', mariadb_admin: 'database',
  mongosh: 'database', cqlsh: 'database', cockroach: 'database',
};

/** Wrappers that start the real program: looked through, never taken for it. */
const WRAPPERS = new Set(['sh', 'bash', 'ash', 'dash', 'exec', 'env', 'tini', 'dumb-init', 'gosu', 'su-exec', 'docker-entrypoint.sh', 'nohup', 'mkdir', 'chown', 'echo', 'sleep', 'cd', 'set', 'export', 'test', '[', 'true', 'trap', 'wait', 'exit', 'while', 'until', 'for', 'if', 'do', 'then']);

export function softwareOf(service: ScaffoldService, built?: DockerfileFacts): Software {
  const own = decisiveProgram([service.entrypoint, service.command].join(' && '));
  if (own) return { kind: own.kind, basis: `its ${service.command ? 'command' : 'entrypoint'} runs ${own.program}` };
  const image = service.image === undefined ? undefined : imageKind(service.image);
  if (image) return { kind: image, basis: `its image is ${service.image}` };
  if (built) {
    const runs = decisiveProgram(built.runs);
    if (runs) return { kind: runs.kind, basis: `its Dockerfile runs ${runs.program}` };
    const from = built.from === undefined ? undefined : imageKind(built.from);
    if (from) return { kind: from, basis: `its Dockerfile builds FROM ${built.from}` };
  }
  const checked = programs(service.healthcheck ?? '').map((program) => ({ program, kind: HEALTHCHECK_PROGRAMS[program] })).find((found) => found.kind !== undefined);
  if (checked?.kind) return { kind: checked.kind, basis: `its healthcheck calls ${checked.program}` };
  return { kind: 'other', basis: otherBasis(service) };
}

/** Any sign at all that the service is a database, whatever else it runs: a crash starter must never take one for stateless. */
export function databaseSign(service: ScaffoldService, built?: DockerfileFacts): string | undefined {
  const software = softwareOf(service, built);
  if (software.kind === 'database') return software.basis;
  if (service.image !== undefined && imageKind(service.image) === 'database') return `its image is ${service.image}`;
  if (built?.from !== undefined && imageKind(built.from) === 'database') return `its Dockerfile builds FROM ${built.from}`;
  const checked = programs(service.healthcheck ?? '').find((program) => HEALTHCHECK_PROGRAMS[program] === 'database');
  return checked ? `its healthcheck calls ${checked}` : undefined;
}

function otherBasis(service: ScaffoldService): string {
  const head = programs([service.entrypoint, service.command].join(' && ')).find((program) => !WRAPPERS.has(program));
  if (head) return `it runs ${head}`;
  if (service.image !== undefined) return `its image ${service.image} is none that init knows as a store, a cache or nginx`;
  return 'nothing in its compose definition says what it runs';
}

/** The first program of a command line that decides what the container is, skipping wrappers. */
function decisiveProgram(line: string): { program: string; kind: SoftwareKind } | undefined {
  for (const program of programs(line)) {
    const kind = PROGRAMS[program];
    if (kind) return { program, kind };
  }
  return undefined;
}

/**
 * The programs a command line starts: words at the head of a command (first, after `&&`,
 * `||`, `;`, `sh -c` or `exec`), so that an app given `--cache-host redis` does not pass for
 * a redis. Versioned interpreters count as themselves (python3.12 → python3).
 */
export function programs(line: string): string[] {
  const heads = /(?:^|&&|\|\||;|\s-c\s)\s*['"]?(?:exec\s+)?([A-Za-z0-9_./-]+)/g;
  return [...line.matchAll(heads)].map((match) => basename(match[1]!).toLowerCase().replace(/^(python3?|php)[\d.]+$/, '$1'));
}

/** The repository of an image reference without registry, tag or digest: "bitnami/redis" for "docker.io/bitnami/redis:7.2@sha256:…". */
export function imageRepository(reference: string): string {
  const withoutDigest = reference.split('@')[0]!.toLowerCase();
  const parts = withoutDigest.split('/');
  const last = parts.pop()!.split(':')[0]!;
  // The first part names a registry when it has a dot or a port, or is localhost.
  if (parts.length > 0 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
  return [...parts, last].join('/');
}

function imageKind(reference: string): SoftwareKind | undefined {
  const repository = imageRepository(reference);
  const last = repository.split('/').pop()!;
  return IMAGES[repository] ?? IMAGES[repository.split('/').slice(-2).join('/')] ?? IMAGES[last];
}
