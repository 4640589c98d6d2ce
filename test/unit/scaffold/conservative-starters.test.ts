import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScaffoldService } from '../../../src/scaffold/compose-services.js';
import type { ServiceFiles } from '../../../src/scaffold/service-assessment.js';
import { programs, softwareOf } from '../../../src/scaffold/service-software.js';
import { planStarters, type StartersPlan } from '../../../src/scaffold/starters.js';
import { normaliseService } from '../../../src/topology/compose-normalise.js';

/**
 * The judgements `firedrill init` makes about services, from compose models of shapes unlike
 * the demo: what is a cache, what holds data, what may be crashed, what can be probed over
 * HTTP, where regions come from — and that every service a starter leaves out comes with why.
 */

function svc(name: string, fields: Partial<ScaffoldService> = {}): ScaffoldService {
  return { name, labels: {}, command: '', entrypoint: '', environment: {}, dependsOn: [], ports: [], mounts: [], profiles: [], ...fields };
}

const port = (hostPort: number, containerPort: number, protocol = 'tcp') => ({ hostPort, containerPort, protocol });

interface Playbook {
  topology: Record<string, unknown>;
  steadyState: { probes: Record<string, unknown>[] };
  steps: { name: string; inject?: Record<string, unknown>; wait?: { probe: Record<string, unknown> } }[];
}

function starters(
  services: ScaffoldService[],
  opts: { files?: Record<string, ServiceFiles>; regionLabel?: string; caches?: string[] } = {},
): StartersPlan {
  return planStarters({
    project: 'exchange',
    composeFileFromDrills: '../compose.yaml',
    composeFileName: 'compose.yaml',
    drillsDir: 'drills',
    schemaFromDrills: '../node_modules/firedrill/schema/playbook.schema.json',
    regionLabel: opts.regionLabel ?? 'firedrill.region',
    regionLabelNamed: opts.regionLabel !== undefined,
    services,
    files: new Map(Object.entries(opts.files ?? {})),
    caches: opts.caches ?? [],
  });
}

/** The starter written as `file`, parsed, with its text; undefined when it was not written. */
function written(plan: StartersPlan, file: string): { playbook: Playbook; text: string; leftOut: Record<string, string> } | undefined {
  const found = plan.starters.find(({ outcome }) => 'playbook' in outcome && outcome.playbook.file === file)?.outcome;
  if (!found || !('playbook' in found)) return undefined;
  return {
    playbook: parse(found.playbook.content) as Playbook,
    text: found.playbook.content,
    leftOut: Object.fromEntries(found.leftOut.map((l) => [l.service, l.reason])),
  };
}

function leftOutOf(plan: StartersPlan, what: string): Record<string, string> {
  const starter = plan.starters.find((s) => s.what === what || ('playbook' in s.outcome && s.outcome.playbook.file === what));
  return Object.fromEntries((starter?.outcome.leftOut ?? []).map((l) => [l.service, l.reason]));
}

/** The comments of a starter as one line of prose, so that wrapping does not matter. */
const comments = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim().startsWith('#'))
    .map((line) => line.trim().replace(/^#\s*/, ''))
    .join(' ')
    .replace(/\s+/g, ' ');

const injects = (playbook: Playbook) => playbook.steps.flatMap((step) => (step.inject ? [step.inject] : []));

/** Every service of the model is either acted on by the starter or listed as left out of it. */
function expectEveryServiceAccountedFor(plan: StartersPlan, services: ScaffoldService[]): void {
  for (const { what, outcome } of plan.starters) {
    const acted =
      'playbook' in outcome ? injects(parse(outcome.playbook.content) as Playbook).map((inject) => String(inject.service ?? '')) : [];
    const regionMembers = what.startsWith('drill for region ') ? (plan.regions.regions[what.slice('drill for region '.length)] ?? []) : [];
    const leftOut = outcome.leftOut.map((l) => l.service);
    for (const service of services.filter((s) => s.profiles.length === 0 && s.replicas !== 0)) {
      expect([...acted, ...regionMembers, ...leftOut], `${service.name} in ${what}`).toContain(service.name);
    }
    for (const { reason } of outcome.leftOut) expect(reason.length).toBeGreaterThan(10);
  }
}

describe('a redis primary and its replica, two memcached, python services, an nginx gateway without /', () => {
  const services = [
    svc('gateway', {
      image: 'nginx:1.27',
      ports: [port(18080, 80)],
      labels: { 'exchange.zone': 'edge' },
      mounts: [{ kind: 'bind', source: '/p/gateway.conf', target: '/etc/nginx/conf.d/default.conf', readOnly: true }],
    }),
    // Its build context carries an nginx.conf, and the image a proxy cache path: it still runs python.
    svc('quotes-eu', {
      buildContext: '/p/quotes',
      command: 'python -m quotes.server --port 8000',
      labels: { 'exchange.zone': 'eu' },
      environment: { REDIS_URL: 'redis://ledger-redis:6379/0', MEMCACHED: 'memo-a:11211' },
    }),
    svc('quotes-us', {
      buildContext: '/p/quotes',
      command: 'python -m quotes.server --port 8000',
      labels: { 'exchange.zone': 'us' },
      environment: { REDIS_URL: 'redis://ledger-redis-replica:6379/0', MEMCACHED: 'memo-b:11211' },
    }),
    svc('ledger-redis', { image: 'redis:7', command: 'redis-server --appendonly no --save ""', labels: { 'exchange.zone': 'eu' } }),
    svc('ledger-redis-replica', {
      image: 'redis:7',
      command: 'redis-server --replicaof ledger-redis 6379',
      labels: { 'exchange.zone': 'us' },
    }),
    svc('memo-a', { image: 'memcached:1.6', labels: { 'exchange.zone': 'eu' } }),
    svc('memo-b', { image: 'memcached:1.6', labels: { 'exchange.zone': 'us' } }),
  ];
  const files = {
    'quotes-eu': { configs: [], nginxCaches: ['/var/cache/nginx'] },
    'quotes-us': { configs: [], nginxCaches: ['/var/cache/nginx'] },
  };

  it('never purges the redis primary or its replica, restarts both memcached, and plans no nginx reload in a python service', () => {
    const plan = starters(services, { files });
    const purge = written(plan, 'cache-purge.yaml')!;
    expect(injects(purge.playbook)).toEqual([
      { kind: 'service', id: 'memo-a-restart', service: 'memo-a', mode: 'restart' },
      { kind: 'service', id: 'memo-b-restart', service: 'memo-b', mode: 'restart' },
    ]);
    expect(purge.leftOut['ledger-redis']).toBe(
      'it may hold data: its name says "ledger"; ledger-redis-replica replicates from it; it is the only store quotes-eu names (firedrill init --cache ledger-redis if it is only a cache)',
    );
    expect(purge.leftOut['ledger-redis-replica']).toMatch(/^a replica of ledger-redis: it refuses FLUSHALL \(READONLY\)/);
    expect(purge.leftOut['quotes-eu']).toBe('not a cache: its command runs python');
    expect(purge.leftOut.gateway).toMatch(/^runs nginx \(its image is nginx:1\.27\), but no proxy_cache_path was found/);
    expect(purge.text).not.toContain('FLUSHALL deletes');
    expect(purge.text).toMatch(
      /^# Left out of this drill, and why:\n# {3}gateway: runs nginx .*\n# {5}configuration init reads .*\n# {3}quotes-eu, quotes-us: not a cache: its command runs python\n# {3}ledger-redis: it may hold data:/m,
    );
    expectEveryServiceAccountedFor(plan, services);
  });

  it('reads regions only from the label it is given, and writes that label into the region drills', () => {
    const guessed = starters(services, { files });
    expect(guessed.regions.source).toMatchObject({
      kind: 'none',
      advice: 'run firedrill init --region-label exchange.zone to take the regions from it',
    });
    expect(guessed.starters.map((s) => s.what)).toEqual(['service-crash.yaml', 'cache-purge.yaml']);

    const labelled = starters(services, { files, regionLabel: 'exchange.zone' });
    expect(labelled.regions).toMatchObject({
      source: { kind: 'labels', label: 'exchange.zone' },
      regions: { edge: ['gateway'], eu: ['quotes-eu', 'ledger-redis', 'memo-a'], us: ['quotes-us', 'ledger-redis-replica', 'memo-b'] },
    });
    const eu = written(labelled, 'region-eu-loss.yaml')!;
    expect(eu.playbook.topology).toMatchObject({ regionLabel: 'exchange.zone' });
    expect(eu.playbook.topology.regions).toBeUndefined();
    // The primary keeps its data in memory only: the region is frozen, not killed.
    expect(injects(eu.playbook)).toEqual([{ kind: 'region-loss', id: 'region-eu-down', region: 'eu', mode: 'pause' }]);
    expect(comments(eu.text)).toContain(
      'ledger-redis holds data in memory only (its name says "ledger"): killed, it would come back empty.',
    );
    expect(eu.leftOut).toEqual({
      gateway: 'in region edge',
      'quotes-us': 'in region us',
      'ledger-redis-replica': 'in region us',
      'memo-b': 'in region us',
    });
    expectEveryServiceAccountedFor(labelled, services);
  });

  it('probes the gateway by TCP, never GET /, and says which probe to point at a real endpoint', () => {
    const plan = starters(services, { files });
    const crash = written(plan, 'service-crash.yaml')!;
    expect(crash.playbook.steadyState.probes[0]).toMatchObject({ kind: 'tcp', port: 18080 });
    expect(crash.text).not.toMatch(/kind: http/);
    expect(plan.notes).toContainEqual(
      expect.stringMatching(
        /^gateway is observed by a TCP connection to 127\.0\.0\.1:18080 in service-crash\.yaml, cache-purge\.yaml: the compose file declares no HTTP health endpoint/,
      ),
    );
  });

  it('crashes one stateless service and says why each other one was left out', () => {
    const crash = written(starters(services, { files }), 'service-crash.yaml')!;
    // The best observed stateless service: the gateway (a TCP probe beats "running").
    expect(injects(crash.playbook)).toEqual([
      { kind: 'service', id: 'gateway-crash', service: 'gateway', mode: 'kill', signal: 'SIGKILL' },
    ]);
    expect(crash.leftOut).toMatchObject({
      'quotes-us': 'one crash per drill, and gateway was chosen: copy this starter to crash quotes-us',
      'memo-a': 'not stateless: it runs a data store (memcached: its image is memcached:1.6)',
      'ledger-redis': 'not stateless: it runs a data store (redis: its command runs redis-server)',
    });
  });
});

describe('a redis is a store unless something says it is a cache, nothing names it as a store, and it keeps nothing', () => {
  const web = svc('web', {
    image: 'acme/shop:3',
    environment: { DATABASE_URL: 'postgres://db/shop', CACHE_URL: 'redis://cache:6379/1' },
    dependsOn: ['db', 'cache'],
  });
  const db = svc('db', {
    image: 'postgres:16',
    mounts: [{ kind: 'volume', source: 'pg', target: '/var/lib/postgresql/data', readOnly: false }],
  });

  it('purges a redis only used as a cache by an app that has a database', () => {
    const purge = written(
      starters([web, db, svc('cache', { image: 'redis:7-alpine', command: 'redis-server --save ""' })]),
      'cache-purge.yaml',
    )!;
    expect(injects(purge.playbook)).toEqual([{ kind: 'cache-purge', id: 'cache-purge', service: 'cache', cache: 'redis' }]);
    expect(comments(purge.text)).toContain(
      'FLUSHALL deletes every key in cache: it is a cache (its name says "cache"; web\'s CACHE_URL names it), and nothing says it may hold data.',
    );
  });

  it.each([
    [
      "a Celery broker named in another service's CELERY_BROKER_URL",
      [
        web,
        db,
        svc('cache', { image: 'redis:7' }),
        svc('worker', {
          image: 'acme/shop:3',
          command: 'celery -A shop worker',
          environment: { CELERY_BROKER_URL: 'redis://cache:6379/0' },
        }),
      ],
      /worker's CELERY_BROKER_URL names it: it is a broker/,
    ],
    [
      'a Laravel queue (QUEUE_DRIVER=redis)',
      [
        svc('app', { image: 'acme/laravel', environment: { QUEUE_DRIVER: 'redis', REDIS_HOST: 'cache', DB_HOST: 'db' } }),
        db,
        svc('cache', { image: 'bitnami/redis:7.2', environment: { ALLOW_EMPTY_PASSWORD: 'yes', REDIS_AOF_ENABLED: 'no' } }),
      ],
      /app sets QUEUE_DRIVER=redis and names it in REDIS_HOST: it is a broker/,
    ],
    [
      'an app whose only store is that redis',
      [svc('counter', { image: 'acme/counter', dependsOn: ['cache'] }), svc('cache', { image: 'redis:7' })],
      /it is the only store counter names/,
    ],
    [
      'a mounted redis.conf with appendonly yes',
      [web, db, svc('cache', { image: 'redis:7', command: 'redis-server /usr/local/etc/redis/redis.conf' })],
      /it persists \(appendonly yes in \/usr\/local\/etc\/redis\/redis\.conf\)/,
    ],
    [
      'a python job worker started as a module',
      [
        web,
        db,
        svc('cache', { image: 'redis:7' }),
        svc('jobs', { image: 'acme/shop:3', command: 'python -m rq worker', environment: { REDIS_URL: 'redis://cache' } }),
      ],
      /jobs runs rq, a job worker, and names it in REDIS_URL/,
    ],
    ['a name that says it is a store', [web, db, svc('session-store', { image: 'redis:7' })], /its name says "store"/],
  ])('never purges %s', (_what, services, reason) => {
    const files = {
      cache: { configs: [{ target: '/usr/local/etc/redis/redis.conf', text: 'maxmemory 100mb\nappendonly yes\n' }], nginxCaches: [] },
    };
    const plan = starters(services, { files });
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    const redis = services.find((s) => s.image?.includes('redis'))!.name;
    expect(leftOutOf(plan, 'cache-purge.yaml')[redis]).toMatch(reason);
    expect(leftOutOf(plan, 'cache-purge.yaml')[redis]).toMatch(/^it may hold data: /);
  });

  it('purges what the user names a cache (--cache), but never a replica', () => {
    const services = [
      svc('counter', { image: 'acme/counter', dependsOn: ['cache'] }),
      svc('cache', { image: 'redis:7' }),
      svc('cache-replica', { image: 'redis:7', command: 'redis-server --replicaof cache 6379' }),
    ];
    const plan = starters(services, { caches: ['cache', 'cache-replica'] });
    const purge = written(plan, 'cache-purge.yaml')!;
    expect(injects(purge.playbook).map((inject) => inject.service)).toEqual(['cache']);
    expect(purge.text).toContain('FLUSHALL deletes every key in cache: named a cache with --cache.');
    expect(purge.leftOut['cache-replica']).toMatch(/^a replica of cache: it refuses FLUSHALL \(READONLY\)/);
  });

  it('respects --requirepass: purged with REDISCLI_AUTH from its environment, else left out and why, and never PINGed without it', () => {
    const locked = svc('cache', { image: 'redis:7', command: 'redis-server --requirepass s3cret --save ""' });
    const without = starters([web, db, locked]);
    expect(written(without, 'cache-purge.yaml')).toBeUndefined();
    expect(leftOutOf(without, 'cache-purge.yaml').cache).toBe(
      'FLUSHALL needs its password (--requirepass), and its environment has no REDISCLI_AUTH for redis-cli: set REDISCLI_AUTH in its environment to have it emptied',
    );
    expect(without.services.find((s) => s.service.name === 'cache')!.probe.strength).toBe('running');

    const withAuth = starters([web, db, { ...locked, environment: { REDISCLI_AUTH: 's3cret' } }]);
    const purge = written(withAuth, 'cache-purge.yaml')!;
    expect(injects(purge.playbook)).toEqual([{ kind: 'cache-purge', id: 'cache-purge', service: 'cache', cache: 'redis' }]);
    expect(comments(purge.text)).toContain(
      'It asks for a password (--requirepass): redis-cli authenticates with the REDISCLI_AUTH of its environment.',
    );
    expect(purge.text).not.toContain('s3cret');
    expect(withAuth.services.find((s) => s.service.name === 'cache')!.probe.spec).toMatchObject({ command: ['redis-cli', 'PING'] });
  });
});

describe('software is judged from what a service runs, never from substrings', () => {
  it.each([
    [
      'a python web service built from a directory named redis-demo',
      svc('redis-demo', { buildContext: '/p/redis-demo', command: 'python app.py' }),
      'other',
    ],
    ['redis_exporter', svc('metrics', { image: 'oliver006/redis_exporter:v1.58' }), 'other'],
    ['an image named …-kafka-consumer', svc('consumer', { image: 'acme/orders-kafka-consumer:2' }), 'other'],
    ['bitnami/redis', svc('kv', { image: 'docker.io/bitnami/redis:7.2' }), 'redis'],
    [
      'redis-server started by the base image',
      svc('kv', { image: 'firedrill-base:bookworm', command: 'redis-server --replicaof a 6379' }),
      'redis',
    ],
    ['SQL Server', svc('sql', { image: 'mcr.microsoft.com/mssql/server:2022-latest' }), 'database'],
    ['a postgres known by its healthcheck', svc('pg', { buildContext: '/p/pg', healthcheck: 'pg_isready -U app' }), 'database'],
  ])('%s', (_what, service, kind) => {
    expect(starters([service]).services[0]!.software.kind).toBe(kind);
  });

  it('takes what a Dockerfile builds FROM and runs, not the configuration files beside it', () => {
    const built = svc('api', { buildContext: '/p/api' });
    expect(
      starters([built], { files: { api: { dockerfile: { from: 'postgres:16', runs: '' }, configs: [], nginxCaches: [] } } }).services[0]!
        .software,
    ).toEqual({ kind: 'database', basis: 'its Dockerfile builds FROM postgres:16' });
    expect(
      starters([built], { files: { api: { dockerfile: { from: 'nginx:1.27', runs: 'python serve.py' }, configs: [], nginxCaches: [] } } })
        .services[0]!.software,
    ).toEqual({ kind: 'other', basis: 'its Dockerfile runs python' });
  });
});

describe('the crash starter never takes a database, a namespace parent or an absent service for stateless', () => {
  const services = [
    svc('vpn', { image: 'acme/wireguard', ports: [port(18443, 8443)] }),
    svc('downloader', { image: 'acme/downloader', networkMode: 'service:vpn' }),
    svc('sql', { image: 'mcr.microsoft.com/mssql/server:2022-latest', ports: [port(11433, 1433)] }),
    svc('reports', { image: 'acme/reports', ports: [port(18081, 8080)], healthcheck: 'curl -fsS http://localhost:8080/health/ready' }),
    svc('batch', { image: 'acme/batch', replicas: 0 }),
    svc('dns', { image: 'acme/dns', ports: [port(1053, 53, 'udp')] }),
  ];

  it('crashes the service the others do not depend on, and lists why each other was left out', () => {
    const plan = starters(services);
    const crash = written(plan, 'service-crash.yaml')!;
    expect(injects(crash.playbook)).toEqual([
      { kind: 'service', id: 'reports-crash', service: 'reports', mode: 'kill', signal: 'SIGKILL' },
    ]);
    expect(crash.leftOut.vpn).toBe(
      'downloader runs in its network namespace (network_mode: service:vpn): a crash would leave it on a dead one until restarted',
    );
    expect(crash.leftOut.sql).toBe('not stateless: it runs a database (its image is mcr.microsoft.com/mssql/server:2022-latest)');
    expect(crash.text).not.toContain('batch');
    expect(plan.notes).toContain('left out, as compose starts no container for them (deploy.replicas: 0): batch');
    expectEveryServiceAccountedFor(plan, services);
  });

  it('probes HTTP only on the endpoint a healthcheck declares; never a DNS port', () => {
    const plan = starters(services);
    const probes = Object.fromEntries(plan.services.map((entry) => [entry.service.name, entry.probe.spec]));
    expect(probes.reports).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:18081/health/ready' });
    expect(probes.dns).toMatchObject({ kind: 'health', expect: { status: 'running' } });
    expect(probes.sql).toMatchObject({ kind: 'tcp', port: 11433 });
    expect(Object.values(probes).filter((probe) => probe.kind === 'http')).toHaveLength(1);
  });

  it('pauses a region holding a namespace parent instead of killing it', () => {
    const regional = services.map((s) =>
      s.name === 'vpn' || s.name === 'downloader'
        ? { ...s, labels: { 'firedrill.region': 'a' } }
        : { ...s, labels: { 'firedrill.region': 'b' } },
    );
    const loss = written(starters(regional), 'region-a-loss.yaml')!;
    expect(injects(loss.playbook)).toEqual([{ kind: 'region-loss', id: 'region-a-down', region: 'a', mode: 'pause' }]);
    expect(comments(loss.text)).toContain(
      "downloader runs in vpn's network namespace (network_mode: service:vpn): killed, vpn would leave it on a dead one.",
    );
  });

  it('writes no crash starter when nothing is stateless, and says why for each service', () => {
    const plan = starters([services[0]!, svc('ledger', { image: 'acme/ledger', networkMode: 'service:vpn' }), services[2]!]);
    const skipped = plan.starters.find((s) => s.what === 'service-crash.yaml')!.outcome;
    expect('skipped' in skipped).toBe(true);
    expect(leftOutOf(plan, 'service-crash.yaml')).toEqual({
      vpn: 'ledger runs in its network namespace (network_mode: service:vpn): a crash would leave it on a dead one until restarted',
      ledger: 'not stateless: its name says "ledger"',
      sql: 'not stateless: it runs a database (its image is mcr.microsoft.com/mssql/server:2022-latest)',
    });
  });
});

describe('regions', () => {
  it('a named label no service carries gives no region drill and no guess from names', () => {
    const plan = starters([svc('web-a'), svc('web-b')], { regionLabel: 'site' });
    expect(plan.regions.source).toEqual({
      kind: 'none',
      reason: 'no service has the label site given with --region-label',
      advice: 'label services with site=<region>, or name another label with --region-label',
    });
    expect(plan.notes[0]).toBe(
      'no region drill: no service has the label site given with --region-label; label services with site=<region>, or name another label with --region-label',
    );
  });

  it('without a region-like label, names still suggest regions', () => {
    expect(starters([svc('web-a'), svc('web-b')]).regions.source).toEqual({ kind: 'names', pattern: 'a letter suffix (-a, -b)' });
  });
});

describe('usage', () => {
  it('--cache must name a service of the compose file', () => {
    expect(() => starters([svc('web')], { caches: ['sessions'] })).toThrow(
      '--cache sessions: no such service in compose.yaml (its services are web)',
    );
  });
});

describe('services compose does not start still say what the others hold', () => {
  const db = svc('db', {
    image: 'postgres:16',
    mounts: [{ kind: 'volume', source: 'pg', target: '/var/lib/postgresql/data', readOnly: false }],
  });
  const web = svc('web', {
    image: 'acme/shop:3',
    environment: { DATABASE_URL: 'postgres://db/shop', CACHE_URL: 'redis://queue:6379/1', PAGE_CACHE: 'redis://cache-eu,redis://cache-us' },
  });
  const unpersisted = 'redis-server --save "" --appendonly no';
  const services = [
    web,
    db,
    svc('queue', { image: 'redis:7', command: unpersisted }),
    svc('worker', {
      image: 'acme/shop:3',
      command: 'celery -A shop worker',
      environment: { CELERY_BROKER_URL: 'redis://queue:6379/0' },
      profiles: ['workers'],
    }),
    svc('cache-eu', { image: 'redis:7', command: unpersisted }),
    svc('cache-eu-replica', { image: 'redis:7', command: 'redis-server --replicaof cache-eu 6379 --save ""', profiles: ['ha'] }),
    svc('cache-us', { image: 'redis:7', command: unpersisted }),
    svc('cache-us-replica', { image: 'redis:7', command: 'redis-server --replicaof cache-us 6379 --save ""', replicas: 0 }),
  ];

  it('never purges a broker whose worker sits behind a profile, nor a primary whose replica is not started', () => {
    const plan = starters(services);
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    const leftOut = leftOutOf(plan, 'cache-purge.yaml');
    expect(leftOut.queue).toMatch(/^it may hold data: worker's CELERY_BROKER_URL names it: it is a broker of jobs or messages/);
    expect(leftOut['cache-eu']).toBe(
      'it may hold data: cache-eu-replica replicates from it (firedrill init --cache cache-eu if it is only a cache)',
    );
    expect(leftOut['cache-us']).toBe(
      'it may hold data: cache-us-replica replicates from it (firedrill init --cache cache-us if it is only a cache)',
    );
    // What compose does not start is still no target of any starter.
    for (const { outcome } of plan.starters)
      for (const name of ['worker', 'cache-eu-replica', 'cache-us-replica'])
        expect(outcome.leftOut.map((l) => l.service)).not.toContain(name);
    expect(plan.services.map((entry) => entry.service.name)).toEqual(['web', 'db', 'queue', 'cache-eu', 'cache-us']);
  });
});

describe('a job worker is seen through the launcher that starts it', () => {
  it.each([
    ['bundle exec sidekiq -C config/sidekiq.yml', 'sidekiq'],
    ['gosu app bundle exec sidekiq', 'sidekiq'],
    ['php artisan horizon', 'horizon'],
    ['php artisan queue:work redis --sleep=3', 'queue:work'],
    ['npm run worker', 'worker'],
    ['yarn run jobs', 'jobs'],
    ['npx --yes tsx src/worker.ts', 'worker'],
    ['poetry run celery -A shop worker', 'celery'],
    ['uv run --frozen rq worker high default', 'rq'],
    ['pipenv run dramatiq shop.tasks', 'dramatiq'],
    ['python3.12 -m celery -A shop worker', 'celery'],
    ['env PYTHONPATH=/srv celery -A shop worker', 'celery'],
    ['sh -c "cd /srv && exec bundle exec sidekiq"', 'sidekiq'],
  ])('%s runs %s', (line, inner) => {
    expect(programs(line)).toContain(inner);
  });

  it('keeps what runs first as what the service runs', () => {
    expect(programs('python -m quotes.server --port 8000')[0]).toBe('python');
    expect(programs('bundle exec puma')).toEqual(['puma']);
  });

  it.each([
    'bundle exec sidekiq',
    'php artisan horizon',
    'php artisan queue:work',
    'npm run worker',
    'npx tsx src/worker.ts',
    'poetry run celery -A shop worker',
    'uv run rq worker',
  ])('never purges a cache-named redis that a worker started by `%s` names', (command) => {
    const services = [
      svc('app', { image: 'acme/app:1', environment: { DATABASE_URL: 'postgres://db/app' } }),
      svc('db', { image: 'postgres:16' }),
      svc('cache', { image: 'redis:7', command: 'redis-server --save "" --appendonly no' }),
      svc('worker', {
        image: 'acme/app:1',
        command,
        environment: { DATABASE_URL: 'postgres://db/app', REDIS_URL: 'redis://cache:6379/0' },
      }),
    ];
    const plan = starters(services);
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    expect(leftOutOf(plan, 'cache-purge.yaml').cache).toMatch(
      /^it may hold data: worker runs \S+, a job worker, and names it in REDIS_URL/,
    );
  });
});

describe('a redis is emptied only with a sign that it is a cache, and none that it may hold data', () => {
  const db = svc('db', { image: 'postgres:16' });
  const app = (environment: Record<string, string>) =>
    svc('app', { image: 'acme/app:1', environment: { DATABASE_URL: 'postgres://db/app', ...environment } });
  const unpersisted = 'redis-server --save ""';

  it('leaves out a redis an app with a database names only by REDIS_URL or REDIS_HOST, and says how to name it a cache', () => {
    const plan = starters([
      app({ REDIS_HOST: 'kv' }),
      db,
      svc('kv', { image: 'redis:7', command: unpersisted }),
      svc('mc', { image: 'memcached:1.6' }),
    ]);
    const purge = written(plan, 'cache-purge.yaml')!;
    // memcached is a cache by what it is.
    expect(injects(purge.playbook)).toEqual([{ kind: 'service', id: 'mc-restart', service: 'mc', mode: 'restart' }]);
    expect(purge.leftOut.kv).toBe('no sign that it is only a cache (name it with --cache kv if it is)');
    expect(purge.text).not.toContain('FLUSHALL');

    const named = written(
      starters([app({ REDIS_HOST: 'kv' }), db, svc('kv', { image: 'redis:7', command: unpersisted })], { caches: ['kv'] }),
      'cache-purge.yaml',
    )!;
    expect(injects(named.playbook)).toEqual([{ kind: 'cache-purge', id: 'kv-purge', service: 'kv', cache: 'redis' }]);
  });

  it.each([
    [
      'its name is cache',
      [app({ REDIS_URL: 'redis://cache' }), db, svc('cache', { image: 'redis:7', command: unpersisted })],
      'its name says "cache"',
    ],
    [
      'its name ends in -cache',
      [app({ REDIS_URL: 'redis://rates-cache' }), db, svc('rates-cache', { image: 'redis:7', command: unpersisted })],
      'its name says "cache"',
    ],
    [
      'its name starts with cache_',
      [app({ REDIS_URL: 'redis://cache_eu' }), db, svc('cache_eu', { image: 'redis:7', command: unpersisted })],
      'its name says "cache"',
    ],
    [
      'a role label says cache',
      [app({ REDIS_URL: 'redis://kv' }), db, svc('kv', { image: 'redis:7', command: unpersisted, labels: { 'com.acme.role': 'cache' } })],
      'its label com.acme.role=cache says so',
    ],
    [
      'another service names it in CACHE_REDIS_HOST',
      [app({ CACHE_REDIS_HOST: 'kv' }), db, svc('kv', { image: 'redis:7', command: unpersisted })],
      "app's CACHE_REDIS_HOST names it",
    ],
    [
      'another service names it in APP_CACHE_URL',
      [app({ APP_CACHE_URL: 'redis://kv:6379' }), db, svc('kv', { image: 'redis:7', command: unpersisted })],
      "app's APP_CACHE_URL names it",
    ],
    [
      'an LFU eviction policy',
      [
        app({ REDIS_URL: 'redis://kv' }),
        db,
        svc('kv', { image: 'redis:7', command: 'redis-server --save "" --maxmemory 64mb --maxmemory-policy allkeys-lfu' }),
      ],
      'it evicts keys as a cache does (--maxmemory-policy allkeys-lfu)',
    ],
    [
      'neither snapshots nor an append-only file',
      [app({ REDIS_URL: 'redis://kv' }), db, svc('kv', { image: 'redis:7', command: 'redis-server --save "" --appendonly no' })],
      'it keeps nothing on disk (--save "" and --appendonly no)',
    ],
  ])('purges a redis when %s', (_what, services, sign) => {
    const purge = written(starters(services), 'cache-purge.yaml')!;
    const redis = services[2]!.name;
    expect(injects(purge.playbook)).toEqual([{ kind: 'cache-purge', id: `${redis}-purge`, service: redis, cache: 'redis' }]);
    expect(comments(purge.text)).toContain(
      `FLUSHALL deletes every key in ${redis}: it is a cache (${sign}), and nothing says it may hold data`,
    );
  });

  it('takes an eviction policy from a mounted configuration', () => {
    const files = {
      kv: {
        configs: [{ target: '/usr/local/etc/redis/redis.conf', text: 'save ""\nmaxmemory 100mb\nmaxmemory-policy volatile-ttl\n' }],
        nginxCaches: [],
      },
    };
    const services = [
      app({ REDIS_URL: 'redis://kv' }),
      db,
      svc('kv', {
        image: 'redis:7',
        command: 'redis-server /usr/local/etc/redis/redis.conf',
        mounts: [{ kind: 'bind', source: '/p/redis.conf', target: '/usr/local/etc/redis/redis.conf', readOnly: true }],
      }),
    ];
    const purge = written(starters(services, { files }), 'cache-purge.yaml')!;
    expect(comments(purge.text)).toContain(
      'it is a cache (it evicts keys as a cache does (maxmemory-policy volatile-ttl in /usr/local/etc/redis/redis.conf))',
    );
  });

  it('a sign of data outweighs every sign of a cache', () => {
    const services = [
      svc('app', {
        image: 'acme/app:1',
        command: 'celery -A app worker',
        environment: {
          CELERY_BROKER_URL: 'redis://rates-cache:6379/0',
          CACHE_URL: 'redis://rates-cache:6379/1',
          DATABASE_URL: 'postgres://db/app',
        },
      }),
      db,
      svc('rates-cache', {
        image: 'redis:7',
        command: 'redis-server --save "" --appendonly no --maxmemory-policy allkeys-lru',
        labels: { role: 'cache' },
      }),
    ];
    expect(leftOutOf(starters(services), 'cache-purge.yaml')['rates-cache']).toMatch(
      /^it may hold data: app's CELERY_BROKER_URL names it: it is a broker/,
    );
  });
});

describe('a redis cluster or sentinel setup holds data', () => {
  const node = (name: string) =>
    svc(name, { image: 'redis:7', command: 'redis-server --port 6379 --cluster-enabled yes --save "" --appendonly no' });

  it('never purges cluster nodes that an app names together', () => {
    const services = [
      svc('api', { image: 'acme/api', environment: { REDIS_NODES: 'cache-1:6379,cache-2:6379,cache-3:6379' } }),
      node('cache-1'),
      node('cache-2'),
      node('cache-3'),
    ];
    const plan = starters(services);
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    expect(leftOutOf(plan, 'cache-purge.yaml')['cache-1']).toBe(
      'it may hold data: it is a node of a redis cluster (--cluster-enabled yes); it and cache-2, cache-3 are the only stores api names (firedrill init --cache cache-1 if it is only a cache)',
    );
  });

  it('reads cluster-enabled from a mounted configuration and from the bitnami image', () => {
    const files = {
      'cache-a': { configs: [{ target: '/etc/redis/redis.conf', text: 'cluster-enabled yes\nsave ""\nappendonly no\n' }], nginxCaches: [] },
    };
    const services = [
      svc('cache-a', {
        image: 'redis:7',
        command: 'redis-server /etc/redis/redis.conf',
        mounts: [{ kind: 'bind', source: '/p/redis.conf', target: '/etc/redis/redis.conf', readOnly: true }],
      }),
      svc('cache-b', { image: 'bitnami/redis-cluster:7.2', environment: { REDIS_AOF_ENABLED: 'no', REDIS_RDB_POLICY_DISABLED: 'yes' } }),
    ];
    const leftOut = leftOutOf(starters(services, { files }), 'cache-purge.yaml');
    expect(leftOut['cache-a']).toContain('it is a node of a redis cluster (cluster-enabled yes in /etc/redis/redis.conf)');
    expect(leftOut['cache-b']).toContain('it is a node of a redis cluster (bitnami/redis-cluster)');
  });

  it('never purges a sentinel, the primary it watches, or a redis an app names through sentinels', () => {
    const files = {
      'cache-sentinel': {
        configs: [{ target: '/etc/redis/sentinel.conf', text: 'port 26379\nsentinel monitor shop cache 6379 2\n' }],
        nginxCaches: [],
      },
    };
    const services = [
      svc('app', {
        image: 'acme/app',
        environment: { DATABASE_URL: 'postgres://db/app', REDIS_SENTINEL_HOSTS: 'cache-sentinel:26379', SENTINEL_MASTER: 'shop' },
      }),
      svc('db', { image: 'postgres:16' }),
      svc('cache', { image: 'redis:7', command: 'redis-server --save "" --appendonly no' }),
      svc('cache-sentinel', {
        image: 'redis:7',
        command: 'redis-server /etc/redis/sentinel.conf --sentinel',
        mounts: [{ kind: 'bind', source: '/p/sentinel.conf', target: '/etc/redis/sentinel.conf', readOnly: false }],
      }),
      svc('cache-watch', { image: 'redis:7', command: 'redis-sentinel /etc/redis/sentinel.conf' }),
    ];
    const plan = starters(services, { files });
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    const leftOut = leftOutOf(plan, 'cache-purge.yaml');
    expect(leftOut.cache).toContain('cache-sentinel watches it as a primary (sentinel monitor shop cache in /etc/redis/sentinel.conf)');
    expect(leftOut['cache-sentinel']).toContain('it is a redis sentinel (--sentinel)');
    expect(leftOut['cache-sentinel']).toContain(
      "app's REDIS_SENTINEL_HOSTS names it: it is part of a sentinel, cluster or replicated setup",
    );
    expect(leftOut['cache-watch']).toContain('it is a redis sentinel (its command runs redis-sentinel)');
  });
});

describe('images are known by their repository name as a whole', () => {
  it.each([
    ['bitnami/postgresql:16', 'database'],
    ['bitnami/postgresql-repmgr:16', 'database'],
    ['docker.io/bitnami/mysql:8.4', 'database'],
    ['bitnami/mongodb:7.0', 'database'],
    ['bitnami/mariadb:11', 'database'],
    ['bitnami/mariadb-galera:11', 'database'],
    ['registry.developers.crunchydata.com/crunchydata/crunchy-postgres:ubi8-16.2-0', 'database'],
    ['crunchydata/crunchy-postgres-gis:ubi8-16.2-3.4-0', 'database'],
    ['postgis/postgis:16-3.4', 'database'],
    ['timescale/timescaledb:latest-pg16', 'database'],
    ['timescale/timescaledb-ha:pg16', 'database'],
    ['cockroachdb/cockroach:v23.2.0', 'database'],
    ['mcr.microsoft.com/azure-sql-edge:latest', 'database'],
    ['percona:8', 'database'],
    ['percona/percona-server:8.0', 'database'],
    ['percona/percona-xtradb-cluster:8.0', 'database'],
    ['percona/percona-server-mongodb:7.0', 'database'],
    ['bitnami/kafka:3.7', 'database'],
    ['bitnami/rabbitmq:3.13', 'database'],
    ['minio/minio:RELEASE.2024-05-10T01-41-38Z', 'database'],
    ['quay.io/minio/minio:latest', 'database'],
    ['bitnami/redis-cluster:7.2', 'redis'],
    ['bitnami/redis-sentinel:7.2', 'redis'],
    ['valkey/valkey:8', 'redis'],
    ['bitnami/valkey:8', 'redis'],
    ['eqalpha/keydb:latest', 'redis'],
    ['redis/redis-stack-server:7.2.0-v10', 'redis'],
    ['docker.dragonflydb.io/dragonflydb/dragonfly:v1.19', 'redis'],
    ['bitnami/memcached:1.6', 'memcached'],
    // Tools named after what they talk to are none of these.
    ['prometheuscommunity/postgres-exporter:v0.15.0', 'other'],
    ['percona/mongodb_exporter:0.40', 'other'],
    ['bitnami/redis-exporter:1.58', 'other'],
    ['acme/postgresql-backup:1', 'other'],
    ['dpage/pgadmin4:8', 'other'],
  ])('%s is %s', (image, kind) => {
    expect(softwareOf(svc('x', { image })).kind).toBe(kind);
  });
});

describe('redis persistence as redis itself decides it', () => {
  const app = svc('app', { image: 'acme/app:1', environment: { DATABASE_URL: 'postgres://db/app', CACHE_URL: 'redis://cache:6379' } });
  const db = svc('db', { image: 'postgres:16' });

  it('the official image with no configuration saves snapshots into /data', () => {
    const plan = starters([app, db, svc('cache', { image: 'redis:7.2-alpine' })]);
    expect(written(plan, 'cache-purge.yaml')).toBeUndefined();
    expect(leftOutOf(plan, 'cache-purge.yaml').cache).toBe(
      'it may hold data: it persists (redis saves snapshots unless told --save "", into /data, its image\'s volume) (firedrill init --cache cache if it is only a cache)',
    );
    // Switched off on the command line, or in its configuration: nothing is kept.
    expect(
      written(starters([app, db, svc('cache', { image: 'redis:7.2-alpine', command: 'redis-server --save ""' })]), 'cache-purge.yaml'),
    ).toBeDefined();
    const files = { cache: { configs: [{ target: '/usr/local/etc/redis/redis.conf', text: 'save ""\n' }], nginxCaches: [] } };
    const conf = svc('cache', {
      image: 'redis:7',
      command: 'redis-server /usr/local/etc/redis/redis.conf',
      mounts: [{ kind: 'bind', source: '/p/redis.conf', target: '/usr/local/etc/redis/redis.conf', readOnly: true }],
    });
    expect(written(starters([app, db, conf], { files }), 'cache-purge.yaml')).toBeDefined();
  });

  it("pauses a region whose store keeps data on disk only at redis's default snapshots", () => {
    const services = [
      svc('web-a', { image: 'acme/web', labels: { 'firedrill.region': 'a' }, environment: { LEDGER_URL: 'redis://ledger-a' } }),
      svc('ledger-a', { image: 'redis:7', labels: { 'firedrill.region': 'a' } }),
      svc('web-b', { image: 'acme/web', labels: { 'firedrill.region': 'b' } }),
    ];
    const loss = written(starters(services), 'region-a-loss.yaml')!;
    expect(injects(loss.playbook)).toEqual([{ kind: 'region-loss', id: 'region-a-down', region: 'a', mode: 'pause' }]);
    expect(comments(loss.text)).toContain(
      'ledger-a may hold data (its name says "ledger") that it writes to disk only at its snapshots: killed, it would come back without what it took since the last one.',
    );
  });

  it("reads redis-stack's REDIS_ARGS as its command line", () => {
    const stack = (args: string) => svc('cache', { image: 'redis/redis-stack-server:7.2.0-v10', environment: { REDIS_ARGS: args } });
    expect(leftOutOf(starters([app, db, stack('--save "" --appendonly yes')]), 'cache-purge.yaml').cache).toMatch(
      /^it may hold data: it persists \(--appendonly yes\)/,
    );
    expect(leftOutOf(starters([app, db, stack('--save "" --replicaof primary 6379')]), 'cache-purge.yaml').cache).toMatch(
      /^a replica of primary/,
    );
    expect(written(starters([app, db, stack('--save "" --maxmemory-policy allkeys-lru')]), 'cache-purge.yaml')).toBeDefined();
  });
});

describe('a service whose process or IPC namespace others share is never crashed or restarted', () => {
  const services = [
    svc('app', { image: 'acme/app', ports: [port(18000, 8000)] }),
    svc('profiler', { image: 'acme/profiler', pid: 'service:app' } as Partial<ScaffoldService>),
    svc('mc', { image: 'memcached:1.6' }),
    svc('shm-reader', { image: 'acme/reader', ipc: 'service:mc' } as Partial<ScaffoldService>),
  ];

  it('leaves the parents out of the crash and the purge, and says why', () => {
    const plan = starters(services);
    const crash = written(plan, 'service-crash.yaml')!;
    expect(injects(crash.playbook).map((inject) => inject.service)).not.toContain('app');
    expect(crash.leftOut.app).toBe(
      'profiler runs in its process namespace (pid: service:app): a crash would leave it on a dead one until restarted',
    );
    expect(leftOutOf(plan, 'cache-purge.yaml').mc).toBe(
      'emptied by a restart, but shm-reader runs in its IPC namespace (ipc: service:mc) and would be left on a dead one',
    );
  });

  it('pauses a region holding such a parent instead of killing it', () => {
    const regional = services.map((s) => ({ ...s, labels: { 'firedrill.region': s.name === 'app' || s.name === 'profiler' ? 'a' : 'b' } }));
    const loss = written(starters(regional), 'region-a-loss.yaml')!;
    expect(injects(loss.playbook)).toEqual([{ kind: 'region-loss', id: 'region-a-down', region: 'a', mode: 'pause' }]);
    expect(comments(loss.text)).toContain(
      "profiler runs in app's process namespace (pid: service:app): killed, app would leave it on a dead one.",
    );
  });

  it('reads pid and ipc from a compose service', () => {
    const service = normaliseService('profiler', { image: 'acme/profiler', pid: 'service:app', ipc: 'service:app' }, '/p');
    expect(service).toMatchObject({ pid: 'service:app', ipc: 'service:app' });
    expect(normaliseService('plain', { image: 'acme/plain' }, '/p')).not.toHaveProperty('pid');
  });
});
