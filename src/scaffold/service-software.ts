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
// biome-ignore format: a table laid out by hand, several entries a line
const PROGRAMS: Record<string, SoftwareKind> = {
  'redis-server': 'redis', 'valkey-server': 'redis', 'keydb-server': 'redis', 'redis-stack-server': 'redis', dragonfly: 'redis',
  'redis-sentinel': 'redis', 'valkey-sentinel': 'redis',
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

/**
 * Image repositories, by their last path component as a whole (`bitnami/postgresql`,
 * `valkey/valkey`), or by their whole path for those whose last component says nothing
 * (`mssql/server`). Never a substring: `postgres-exporter` and `redis_exporter` are neither.
 */
// biome-ignore format: a table laid out by hand, several entries a line
const IMAGES: Record<string, SoftwareKind> = {
  redis: 'redis', valkey: 'redis', keydb: 'redis', 'redis-stack': 'redis', 'redis-stack-server': 'redis', dragonfly: 'redis',
  'redis-cluster': 'redis', 'valkey-cluster': 'redis', 'redis-sentinel': 'redis', 'valkey-sentinel': 'redis', 'keydb-enterprise': 'redis',
  memcached: 'memcached',
  nginx: 'nginx', 'nginx-unprivileged': 'nginx', openresty: 'nginx',
  postgres: 'database', postgresql: 'database', 'postgresql-repmgr': 'database', postgis: 'database', timescaledb: 'database',
  'timescaledb-ha': 'database', pgvector: 'database', 'pgvecto-rs': 'database', 'supabase/postgres': 'database', citus: 'database',
  mysql: 'database', 'mysql-server': 'database', mariadb: 'database', 'mariadb-galera': 'database', percona: 'database',
  mongo: 'database', mongodb: 'database', 'mongodb-sharded': 'database', 'mongodb-community-server': 'database', 'mongodb-enterprise-server': 'database',
  cassandra: 'database', scylla: 'database', yugabyte: 'database', tidb: 'database', vitess: 'database',
  elasticsearch: 'database', opensearch: 'database', solr: 'database', meilisearch: 'database', typesense: 'database',
  kafka: 'database', 'cp-kafka': 'database', 'cp-server': 'database', redpanda: 'database', pulsar: 'database', zookeeper: 'database',
  'cp-zookeeper': 'database', rabbitmq: 'database', nats: 'database', 'nats-streaming': 'database', activemq: 'database',
  'activemq-artemis': 'database', etcd: 'database', consul: 'database', vault: 'database', minio: 'database',
  'clickhouse-server': 'database', clickhouse: 'database', influxdb: 'database', cockroach: 'database', neo4j: 'database',
  couchdb: 'database', couchbase: 'database', 'azure-sql-edge': 'database', 'mssql/server': 'database', 'mssql/rhel/server': 'database',
  'oracle/database': 'database', 'oracle-free': 'database', arangodb: 'database', rethinkdb: 'database', questdb: 'database',
  surrealdb: 'database', dgraph: 'database', eventstore: 'database', ravendb: 'database', qdrant: 'database', weaviate: 'database',
  milvus: 'database', 'victoria-metrics': 'database', seaweedfs: 'database',
};

/**
 * Families whose variants are named by a known prefix and a dash (`crunchy-postgres-gis`,
 * `percona-server-mongodb`): each is the same store, except the tools named below.
 */
// biome-ignore format: a table laid out by hand, several entries a line
const IMAGE_FAMILIES: [string, SoftwareKind][] = [
  ['crunchy-postgres', 'database'], ['percona-server', 'database'], ['percona-xtradb-cluster', 'database'], ['percona-postgresql', 'database'],
  ['timescaledb', 'database'], ['postgis', 'database'], ['mongodb-enterprise', 'database'], ['mongodb-community', 'database'],
];

/** Names in a family that are tools around the store, not the store. */
const NOT_THE_STORE = /(^|-)(exporter|operator|backup|tools?|tune|ui|admin|proxy|client)$/;

/** Programs a healthcheck calls that only make sense inside that software's own container. */
// biome-ignore format: a table laid out by hand, several entries a line
const HEALTHCHECK_PROGRAMS: Record<string, SoftwareKind> = {
  'redis-cli': 'redis', 'valkey-cli': 'redis', 'keydb-cli': 'redis', pg_isready: 'database', mysqladmin: 'database', mariadb_admin: 'database',
  mongosh: 'database', cqlsh: 'database', cockroach: 'database',
};

/** Wrappers that start the real program: looked through, never taken for it. */
// biome-ignore format: a table laid out by hand, several entries a line
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
  const checked = programs(service.healthcheck ?? '')
    .map((program) => ({ program, kind: HEALTHCHECK_PROGRAMS[program] }))
    .find((found) => found.kind !== undefined);
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
 * a redis. Launchers are looked through (`bundle exec sidekiq` runs sidekiq, `gosu app x`
 * runs x); a runtime is kept, followed by what it runs (`python -m celery` → python, celery;
 * `php artisan horizon` → php, artisan, horizon; `npm run worker` → npm, worker). Versioned
 * interpreters count as themselves (python3.12 → python3).
 */
export function programs(line: string): string[] {
  const heads = /(?:^|&&|\|\||;|\s-c\s)\s*['"]?(?:exec\s+)?([A-Za-z0-9_./-]+)/g;
  const found: string[] = [];
  for (const match of line.matchAll(heads)) {
    const start = match.index + match[0].length - match[1]!.length;
    const command = line.slice(start).split(/&&|\|\||;|\|/)[0]!;
    found.push(
      ...lookThrough(
        command
          .split(/\s+/)
          .map((word) => word.replace(/^['"]+|['"]+$/g, ''))
          .filter(Boolean),
      ),
    );
  }
  return found;
}

/** Launchers: they start the program named after their own options (and, for some, a subcommand or an operand). */
// biome-ignore format: a table laid out by hand, several entries a line
const LAUNCHERS: Record<string, { subcommands?: string[]; operands?: number }> = {
  bundle: { subcommands: ['exec'] }, poetry: { subcommands: ['run'] }, pipenv: { subcommands: ['run'] }, uv: { subcommands: ['run'] },
  pdm: { subcommands: ['run'] }, hatch: { subcommands: ['run'] }, rye: { subcommands: ['run'] }, pipx: { subcommands: ['run'] },
  uvx: {}, npx: {}, bunx: {}, pnpx: {}, env: {}, nohup: {}, tini: {}, 'dumb-init': {}, exec: {}, time: {}, nice: {},
  'docker-entrypoint.sh': {}, gosu: { operands: 1 }, 'su-exec': { operands: 1 },
};

/** Runtimes whose first argument that is not an option is the script they run. */
const SCRIPT_RUNTIMES = new Set(['python', 'python3', 'pypy', 'pypy3', 'node', 'bun', 'deno', 'tsx', 'ts-node', 'ruby', 'php', 'perl']);
/** Package managers whose `run` (or bare word) names a script of the package. */
const SCRIPT_RUNNERS = new Set(['npm', 'yarn', 'pnpm']);
/** Scripts whose first argument is a subcommand: `php artisan horizon`, `python manage.py rqworker`, `rake jobs:work`. */
const SUBCOMMAND_SCRIPTS = new Set(['artisan', 'manage', 'console', 'rails', 'rake']);

/** The programs one command's words start, at most a few launchers deep. */
function lookThrough(words: readonly string[], depth = 0): string[] {
  const first = words[0];
  if (first === undefined) return [];
  const program = basename(first)
    .toLowerCase()
    .replace(/^(python3?|php)[\d.]+$/, '$1');
  if (depth >= 4) return [program];
  const args = words.slice(1);
  const launcher = LAUNCHERS[program];
  if (launcher) {
    const launched = launchedBy(launcher, args);
    return launched.length > 0 ? lookThrough(launched, depth + 1) : [program];
  }
  const runs = runBy(program, args);
  return runs === undefined ? [program] : [program, ...lookThrough(runs, depth + 1)];
}

function launchedBy(launcher: { subcommands?: string[]; operands?: number }, args: readonly string[]): string[] {
  let index = 0;
  const skipOptions = () => {
    while (index < args.length && (args[index]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[index]!))) index += 1;
  };
  skipOptions();
  if (launcher.subcommands) {
    if (!launcher.subcommands.includes(args[index] ?? '')) return [];
    index += 1;
    skipOptions();
  }
  index += launcher.operands ?? 0;
  skipOptions();
  return args.slice(index);
}

/** What a runtime or a script runs, from its arguments: a module, a script (named without its directory and extension), a subcommand. */
function runBy(program: string, args: readonly string[]): string[] | undefined {
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  if (SUBCOMMAND_SCRIPTS.has(program)) return at < 0 ? undefined : args.slice(at);
  if (SCRIPT_RUNNERS.has(program)) {
    const rest = args.slice(Math.max(at, 0)).filter((arg) => !arg.startsWith('-'));
    return ['run', 'run-script', 'exec', 'dlx'].includes(rest[0] ?? '') ? rest.slice(1) : rest.length > 0 ? rest : undefined;
  }
  if (!SCRIPT_RUNTIMES.has(program)) return undefined;
  if (program.startsWith('py')) {
    const module = args.indexOf('-m');
    if (module >= 0) return args.slice(module + 1);
    if (args.includes('-c')) return undefined;
  }
  const scriptArgs = (program === 'bun' || program === 'deno') && args[at] === 'run' ? args.slice(at + 1) : args.slice(at);
  const script = scriptArgs[0];
  if (at < 0 || script === undefined || script.startsWith('-')) return undefined;
  return [basename(script).replace(/\.(py|js|mjs|cjs|ts|mts|rb|php|pl)$/i, ''), ...scriptArgs.slice(1)];
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
  const known =
    IMAGES[repository] ??
    IMAGES[repository.split('/').slice(-2).join('/')] ??
    IMAGES[repository.split('/').slice(-3).join('/')] ??
    IMAGES[last];
  if (known) return known;
  if (NOT_THE_STORE.test(last)) return undefined;
  return IMAGE_FAMILIES.find(([family]) => last === family || last.startsWith(`${family}-`))?.[1];
}
