import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { composeDown, composeUp } from '../../src/topology/compose-cli.js';
import { discoverTopology } from '../../src/topology/discover.js';
import { useFixtureProjects } from '../integration/compose-project.js';
import { firedrill, REPO_ROOT } from './cli-process.js';

/**
 * `firedrill init` as a user runs it: in the directory of a compose project, through the
 * built CLI. The starters it writes must pass `validate`, resolve with `plan` against the
 * running project, and run as drills that pass.
 */

const TWO_REGION = join(REPO_ROOT, 'test', 'fixtures', 'compose', 'two-region');
const DRILLS = ['cache-purge.yaml', 'region-a-loss.yaml', 'region-b-loss.yaml', 'service-crash.yaml'];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'firedrill-init-e2e-'));
});
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A copy of the two-region fixture in its own directory (named two-region, like the original). */
async function twoRegionCopy(name: string): Promise<string> {
  const dir = join(scratch, name, 'two-region');
  await cp(TWO_REGION, dir, { recursive: true });
  return dir;
}

describe('firedrill init', () => {
  it('writes starter playbooks that validate and a GitHub workflow; a second run keeps them; --force overwrites', async () => {
    const dir = await twoRegionCopy('labels');
    const first = await firedrill(['init'], { cwd: dir });
    expect(first.exitCode, String(first.all)).toBe(0);
    expect(first.stdout).toContain('regions from the firedrill.region labels: a = web-a, cache-a; b = web-b');
    for (const drill of DRILLS) expect(first.stdout).toMatch(new RegExp(`^wrote +drills/${drill.replace('.', '\\.')} `, 'm'));
    expect(first.stdout).toMatch(/^wrote +\.github\/workflows\/firedrill\.yml /m);
    expect((await readdir(join(dir, 'drills'))).sort()).toEqual(DRILLS);

    const validate = await firedrill(['validate', ...DRILLS.map((drill) => `drills/${drill}`)], { cwd: dir });
    expect(validate.exitCode, String(validate.all)).toBe(0);
    expect(validate.stdout).toBe('4 playbooks valid');

    const workflow = parse(await readFile(join(dir, '.github/workflows/firedrill.yml'), 'utf8')) as { on: Record<string, unknown> };
    expect(Object.keys(workflow.on)).toEqual(['schedule', 'workflow_dispatch']);

    // A second init keeps every file, even one the user has changed.
    await writeFile(join(dir, 'drills/service-crash.yaml'), '# mine\n');
    const again = await firedrill(['init'], { cwd: dir });
    expect(again.exitCode, String(again.all)).toBe(0);
    expect(String(again.stdout).match(/^kept /gm)).toHaveLength(5);
    expect(again.stdout).not.toMatch(/^wrote /m);
    expect(await readFile(join(dir, 'drills/service-crash.yaml'), 'utf8')).toBe('# mine\n');

    const forced = await firedrill(['init', '--force'], { cwd: dir });
    expect(forced.exitCode, String(forced.all)).toBe(0);
    expect(String(forced.stdout).match(/^overwrote /gm)).toHaveLength(5);
    expect(await readFile(join(dir, 'drills/service-crash.yaml'), 'utf8')).toContain('name: service-crash');
  });

  it('suggests regions from service names, writes none without a pattern, and says so', async () => {
    const dir = join(scratch, 'names', 'shop');
    await cp(TWO_REGION, dir, { recursive: true });
    const compose = (await readFile(join(dir, 'docker-compose.yml'), 'utf8')).replace(/^ *labels:\n *firedrill\.region: [ab]\n/gm, '');
    expect(compose).not.toContain('firedrill.region');
    await writeFile(join(dir, 'docker-compose.yml'), compose);

    const suggested = await firedrill(['init', '--ci', 'gitlab'], { cwd: dir });
    expect(suggested.exitCode, String(suggested.all)).toBe(0);
    expect(suggested.stdout).toContain(
      'regions suggested from the service names, by a letter suffix (-a, -b): a = web-a, cache-a; b = web-b',
    );
    expect(suggested.stdout).toMatch(/^wrote +firedrill\.gitlab-ci\.yml /m);
    const regionA = parse(await readFile(join(dir, 'drills/region-a-loss.yaml'), 'utf8')) as { topology: { regions: unknown } };
    expect(regionA.topology.regions).toEqual({ a: ['web-a', 'cache-a'], b: ['web-b'] });
    const validate = await firedrill(['validate', ...DRILLS.map((drill) => `drills/${drill}`)], { cwd: dir });
    expect(validate.exitCode, String(validate.all)).toBe(0);

    // No pattern left in the names: no region drill, and the reason.
    const plain = join(scratch, 'plain');
    await cp(dir, plain, { recursive: true, filter: (path) => basename(path) !== 'drills' });
    await writeFile(
      join(plain, 'docker-compose.yml'),
      compose
        .replace(/web-a/g, 'front')
        .replace(/web-b/g, 'back')
        .replace(/cache-a/g, 'cache'),
    );
    const none = await firedrill(['init', '--ci', 'none', '--dir', plain]);
    expect(none.exitCode, String(none.all)).toBe(0);
    expect(none.stdout).toContain('no regions');
    expect(none.stdout).toMatch(/^note: no region drill: no service has the label firedrill\.region/m);
    expect((await readdir(join(plain, 'drills'))).sort()).toEqual(['cache-purge.yaml', 'service-crash.yaml']);
  });

  it('is a usage error (exit 2), writing nothing, without a compose file or without services', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    await cp(join(TWO_REGION, 'nginx-cache.conf'), join(empty, 'nginx-cache.conf'));
    const missing = await firedrill(['init'], { cwd: empty });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /^firedrill: no compose file in .*empty \(looked for compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml\)/,
    );

    await writeFile(join(empty, 'compose.yaml'), 'services: {}\n');
    const noServices = await firedrill(['init'], { cwd: empty });
    expect(noServices.exitCode).toBe(2);
    expect(noServices.stderr).toContain('defines no services: there is nothing to drill');
    expect((await readdir(empty)).sort()).toEqual(['compose.yaml', 'nginx-cache.conf']);
  });

  describe('against the running project', () => {
    const projects = useFixtureProjects('two-region');

    it('the starters resolve with plan, and run as drills that pass', async () => {
      const [project] = projects();
      const dir = await twoRegionCopy('running');
      const init = await firedrill(['init', '--project', project!.project, '--ci', 'none'], { cwd: dir });
      expect(init.exitCode, String(init.all)).toBe(0);

      const webA = await project!.container('web-a');
      const cacheA = await project!.container('cache-a');
      const plan = await firedrill(['plan', 'drills/region-a-loss.yaml'], { cwd: dir });
      expect(plan.exitCode, String(plan.all)).toBe(0);
      expect(plan.stdout).toContain(webA.name);
      expect(plan.stdout).toContain(cacheA.name);
      expect(plan.stdout).toMatch(/^Plan hash: [0-9a-f]{64}$/m);

      // The crash drill really crashes web-a and starts it again.
      const startedBefore = (await project!.engine.inspectState(webA.id)).startedAt;
      const crash = await firedrill(['run', 'drills/service-crash.yaml', '--yes'], { cwd: dir });
      expect(crash.exitCode, String(crash.all)).toBe(0);
      const after = await project!.engine.inspectState(webA.id);
      expect(after.status).toBe('running');
      expect(after.startedAt).not.toBe(startedBefore);

      // The purge drill really empties cache-a.
      const set = await project!.engine.exec(cacheA.id, ['redis-cli', 'SET', 'init-e2e', 'warm'], { timeoutMs: 10_000 });
      expect(set.stdout.trim()).toBe('OK');
      const purge = await firedrill(['run', 'drills/cache-purge.yaml', '--yes'], { cwd: dir });
      expect(purge.exitCode, String(purge.all)).toBe(0);
      const get = await project!.engine.exec(cacheA.id, ['redis-cli', 'EXISTS', 'init-e2e'], { timeoutMs: 10_000 });
      expect(get.stdout.trim()).toBe('0');

      const regionLoss = await firedrill(['run', 'drills/region-a-loss.yaml', '--yes'], { cwd: dir });
      expect(regionLoss.exitCode, String(regionLoss.all)).toBe(0);
      expect((await project!.engine.inspectState(cacheA.id)).status).toBe('running');

      // Every run kept its directory where CI uploads it from.
      const runs = await readdir(join(dir, '.firedrill', 'runs'));
      expect(runs).toHaveLength(3);
      for (const run of runs) expect((await stat(join(dir, '.firedrill', 'runs', run, 'journal.jsonl'))).isFile()).toBe(true);
    });
  });
});

/**
 * `firedrill init` on compose projects unlike the demo (test/fixtures/init-projects): stores
 * that look like caches, software that names mislead about, databases, a namespace parent, a
 * service with no replica, regions under a label of the project's own. The starters must
 * validate, empty no store, crash no database, and the output must say why each service was
 * left out of each starter.
 */
const INIT_PROJECTS = join(REPO_ROOT, 'test', 'fixtures', 'init-projects');

interface Starter {
  topology: { regionLabel?: string; regions?: unknown };
  steadyState: { probes: { kind: string; url?: string; port?: number; service?: string }[] };
  steps: {
    inject?: { kind: string; service?: string; region?: string; cache?: string; mode?: string; path?: string };
    wait?: { probe: { kind: string; url?: string } };
  }[];
}

async function initProjectCopy(fixture: string, under: string): Promise<string> {
  const dir = join(scratch, under, fixture);
  await cp(join(INIT_PROJECTS, fixture), dir, { recursive: true });
  return dir;
}

async function starters(dir: string): Promise<Record<string, Starter>> {
  const files = (await readdir(join(dir, 'drills'))).sort();
  return Object.fromEntries(
    await Promise.all(files.map(async (file) => [file, parse(await readFile(join(dir, 'drills', file), 'utf8')) as Starter] as const)),
  );
}

const injected = (starter: Starter) => starter.steps.flatMap((step) => (step.inject ? [step.inject] : []));

/** Per starter (its file, or what was not written: "cache-purge.yaml"), the services init's output says it left out. */
function leftOutInOutput(stdout: string): Record<string, Set<string>> {
  const found: Record<string, Set<string>> = {};
  let current = '';
  for (const line of stdout.split('\n')) {
    const written = /^(?:wrote|overwrote) +drills\/(\S+)/.exec(line);
    const skipped = /^no (\S+\.yaml|drill for region \S+): /.exec(line);
    if (written || skipped) {
      current = (written ?? skipped)![1]!;
      found[current] = new Set();
      continue;
    }
    const leftOut = /^ +left out: (.+?) — ./.exec(line);
    if (leftOut && current) for (const service of leftOut[1]!.split(', ')) found[current]!.add(service);
  }
  return found;
}

/** Every started service is acted on by each starter, or init's output says why it was left out of it. */
function expectEveryOmissionExplained(
  stdout: string,
  written: Record<string, Starter>,
  started: string[],
  regions: Record<string, string[]> = {},
): void {
  const leftOut = leftOutInOutput(stdout);
  for (const [file, starter] of Object.entries(written)) {
    const acted = injected(starter).flatMap((inject) => (inject.region ? (regions[inject.region] ?? []) : [inject.service ?? '']));
    for (const service of started) expect([...acted, ...(leftOut[file] ?? [])], `${service} in ${file}`).toContain(service);
  }
}

describe('firedrill init on projects unlike the demo', () => {
  it('python-shop: empties only the two memcached, crashes no database, probes no DNS or game port over HTTP, and explains every omission', async () => {
    const dir = await initProjectCopy('python-shop', 'shop');
    const init = await firedrill(['init', '--ci', 'none'], { cwd: dir });
    expect(init.exitCode, String(init.all)).toBe(0);
    const stdout = String(init.stdout);
    const written = await starters(dir);
    const validate = await firedrill(['validate', ...Object.keys(written).map((file) => `drills/${file}`)], { cwd: dir });
    expect(validate.exitCode, String(validate.all)).toBe(0);

    const purge = written['cache-purge.yaml']!;
    expect(injected(purge)).toEqual([
      { kind: 'service', id: 'memcached-a-restart', service: 'memcached-a', mode: 'restart' },
      { kind: 'service', id: 'memcached-b-restart', service: 'memcached-b', mode: 'restart' },
    ]);
    expect(stdout).toMatch(
      /^ +left out: broker — it may hold data: web's CELERY_BROKER_URL names it: it is a broker of jobs or messages; worker's CELERY_BROKER_URL names it: it is a broker/m,
    );
    expect(stdout).toMatch(
      /^ +left out: jobs — it may hold data: storefront sets QUEUE_CONNECTION=redis and names it in REDIS_HOST: it is a broker/m,
    );
    expect(stdout).toMatch(
      /^ +left out: session-cache — it may hold data: it persists \(appendonly yes in \/usr\/local\/etc\/redis\/redis\.conf\)/m,
    );
    expect(stdout).toMatch(
      /^ +left out: locked-cache — FLUSHALL needs its password \(--requirepass\), and its environment has no REDISCLI_AUTH/m,
    );
    // Its only job worker is behind a profile and started through bundle exec: still a broker.
    expect(stdout).toMatch(
      /^ +left out: page-cache — it may hold data: mailer runs sidekiq, a job worker, and names it in REDIS_URL: it is a broker/m,
    );
    expect(stdout).toMatch(/^ +left out: kv — no sign that it is only a cache \(name it with --cache kv if it is\)$/m);
    expect(stdout).toMatch(
      /^ +left out: web, nightly-report — not a cache: its command runs python|^ +left out: web — not a cache: its command runs python/m,
    );
    expect(stdout).toMatch(/^ +left out: metrics — not a cache: its image oliver006\/redis_exporter:v1\.58\.0 is none that init knows/m);

    const crash = injected(written['service-crash.yaml']!);
    expect(crash).toHaveLength(1);
    expect([
      'sql',
      'db',
      'reports-db',
      'catalog',
      'broker',
      'jobs',
      'session-cache',
      'locked-cache',
      'page-cache',
      'kv',
      'memcached-a',
      'memcached-b',
      'vpn',
      'web',
      'nightly-report',
      'mailer',
    ]).not.toContain(crash[0]!.service);
    expect(stdout).toMatch(
      /^ +left out: sql — not stateless: it runs a database \(its image is mcr\.microsoft\.com\/mssql\/server:2022-latest\)/m,
    );
    // A postgres reached through `extends` is a database like any other.
    expect(stdout).toMatch(/^ +left out: db, reports-db — not stateless: it runs a database \(its image is postgres:16\)$/m);
    expect(stdout).toMatch(/^ +left out: vpn — downloader runs in its network namespace \(network_mode: service:vpn\)/m);
    expect(stdout).toMatch(
      /^ +left out: web — profiler runs in its process namespace \(pid: service:web\): a crash would leave it on a dead one/m,
    );
    expect(stdout).toMatch(/^ +left out: catalog — not stateless: it runs a database \(its image is bitnami\/postgresql:16\)$/m);

    // No HTTP probe is guessed: none is declared, so the ports are connected to, and the output says which to point at an endpoint.
    const text = (await Promise.all(Object.keys(written).map((file) => readFile(join(dir, 'drills', file), 'utf8')))).join('\n');
    expect(text).not.toMatch(/kind: http/);
    expect(text).not.toContain('nightly-report');
    expect(text).not.toMatch(/^#.*\bmailer:/m);
    expect(stdout).toMatch(
      /^note: edge is observed by a TCP connection to 127\.0\.0\.1:18580 in .*point an http probe at a real endpoint/m,
    );
    expect(stdout).not.toMatch(/^note: (dns|game) is observed/m);
    expect(stdout).toContain('note: left out, as compose starts no container for them (deploy.replicas: 0): nightly-report');

    const started = [
      'edge',
      'web',
      'worker',
      'broker',
      'storefront',
      'jobs',
      'session-cache',
      'locked-cache',
      'sql',
      'db',
      'reports-db',
      'metrics',
      'consumer',
      'dns',
      'game',
      'vpn',
      'downloader',
      'page-cache',
      'kv',
      'catalog',
      'profiler',
      'memcached-a',
      'memcached-b',
    ];
    const regions = { a: ['memcached-a'], b: ['memcached-b'] };
    expectEveryOmissionExplained(stdout, written, started, regions);
  });

  it('exchange: takes regions only from the label it is told, and its starters run and pass against the running project', async () => {
    const dir = await initProjectCopy('exchange', 'exchange');
    // Without --region-label: no region guessed from names while exchange.zone may give them.
    const unlabelled = await firedrill(['init', '--ci', 'none'], { cwd: dir });
    expect(unlabelled.exitCode, String(unlabelled.all)).toBe(0);
    expect(unlabelled.stdout).toContain('no regions');
    expect(unlabelled.stdout).toMatch(
      /^note: no region drill: no service has the label firedrill\.region, and "exchange\.zone" may name the regions: .*; run firedrill init --region-label exchange\.zone to take the regions from it$/m,
    );
    expect((await readdir(join(dir, 'drills'))).sort()).toEqual(['cache-purge.yaml', 'service-crash.yaml']);

    const project = `fdinit-${randomBytes(4).toString('hex')}`;
    const init = await firedrill(['init', '--ci', 'none', '--force', '--region-label', 'exchange.zone', '--project', project], {
      cwd: dir,
    });
    expect(init.exitCode, String(init.all)).toBe(0);
    const stdout = String(init.stdout);
    expect(stdout).toContain(
      'regions from the exchange.zone labels: edge = gateway; eu = quotes-eu, ledger; us = quotes-us, ledger-replica',
    );
    const written = await starters(dir);
    expect(Object.keys(written)).toEqual([
      'cache-purge.yaml',
      'region-edge-loss.yaml',
      'region-eu-loss.yaml',
      'region-us-loss.yaml',
      'service-crash.yaml',
    ]);
    const validate = await firedrill(['validate', ...Object.keys(written).map((file) => `drills/${file}`)], { cwd: dir });
    expect(validate.exitCode, String(validate.all)).toBe(0);

    expect(written['region-eu-loss.yaml']!.topology.regionLabel).toBe('exchange.zone');
    // The ledger and its replica hold data in memory only: their regions are frozen, not killed.
    expect(injected(written['region-eu-loss.yaml']!)).toEqual([{ kind: 'region-loss', id: 'region-eu-down', region: 'eu', mode: 'pause' }]);
    expect(injected(written['region-us-loss.yaml']!)).toEqual([{ kind: 'region-loss', id: 'region-us-down', region: 'us', mode: 'pause' }]);
    expect(injected(written['cache-purge.yaml']!)).toEqual([
      { kind: 'cache-purge', id: 'gateway-cache-purge', service: 'gateway', cache: 'nginx', path: '/var/cache/nginx/quotes' },
      { kind: 'cache-purge', id: 'rates-cache-purge', service: 'rates-cache', cache: 'redis' },
    ]);
    expect(stdout).toMatch(/^ +left out: quotes-eu, quotes-us — not a cache: its command runs perl$/m);
    expect(stdout).toMatch(/^ +left out: ledger-replica — a replica of ledger: it refuses FLUSHALL \(READONLY\)/m);
    expect(stdout).toMatch(
      /^ +left out: ledger — it may hold data: its name says "ledger"; ledger-replica replicates from it; quotes-eu's LEDGER_URL names it/m,
    );
    // Nothing says the password-protected sessions redis is a cache: left out for that first.
    expect(stdout).toMatch(/^ +left out: sessions — no sign that it is only a cache \(name it with --cache sessions if it is\)$/m);
    const crash = injected(written['service-crash.yaml']!);
    expect(['vpn', 'ledger', 'ledger-replica', 'rates-cache', 'sessions', 'batch']).not.toContain(crash[0]!.service);
    // The gateway's / answers 404: every HTTP probe is on the /healthz its healthcheck declares.
    const urls = Object.values(written)
      .flatMap((starter) => [...starter.steadyState.probes, ...starter.steps.flatMap((step) => (step.wait ? [step.wait.probe] : []))])
      .flatMap((probe) => (probe.kind === 'http' ? [probe.url] : []));
    expect(new Set(urls)).toEqual(new Set(['http://127.0.0.1:18473/healthz']));
    const started = ['gateway', 'quotes-eu', 'quotes-us', 'ledger', 'ledger-replica', 'rates-cache', 'sessions', 'vpn', 'downloader'];
    expectEveryOmissionExplained(stdout, written, started, {
      edge: ['gateway'],
      eu: ['quotes-eu', 'ledger'],
      us: ['quotes-us', 'ledger-replica'],
    });

    // Up for real, from the local base image; every starter runs as written and passes.
    const file = join(dir, 'docker-compose.yml');
    const engine = createDockerEngine();
    try {
      await composeUp({ file, project, build: true, wait: true, waitTimeoutMs: 120_000, engine });
      const topology = await discoverTopology(engine, { project, regionLabel: 'exchange.zone' });
      const container = (service: string) => topology.services.find((s) => s.name === service)!.containers[0]!;
      expect(topology.services.find((s) => s.name === 'batch')?.containers ?? []).toEqual([]);
      const redis = (service: string, ...args: string[]) =>
        engine.exec(container(service).id, ['redis-cli', ...args], { timeoutMs: 10_000 }).then((r) => r.stdout.trim());
      expect(await redis('ledger', 'SET', 'order-1', 'filled')).toBe('OK');
      expect(await redis('rates-cache', 'SET', 'eurusd', '1.08')).toBe('OK');
      const vpnStarted = (await engine.inspectState(container('vpn').id)).startedAt;

      const runs: string[] = [];
      for (const drill of Object.keys(written)) {
        const run = await firedrill(['run', `drills/${drill}`, '-y'], { cwd: dir });
        runs.push(`${drill}: exit ${run.exitCode}`);
        expect(run.exitCode, `${drill}\n${String(run.all)}`).toBe(0);
      }
      expect(runs).toHaveLength(5);
      // The ledger kept its data, on the primary and on the replica; the cache was emptied; the VPN was never touched.
      expect(await redis('ledger', 'GET', 'order-1')).toBe('filled');
      expect(await redis('ledger-replica', 'GET', 'order-1')).toBe('filled');
      expect(await redis('rates-cache', 'EXISTS', 'eurusd')).toBe('0');
      expect((await engine.inspectState(container('vpn').id)).startedAt).toBe(vpnStarted);
    } finally {
      await composeDown({ file, project, volumes: true });
      await execa('docker', ['image', 'rm', 'firedrill-init-quotes:local'], { reject: false });
    }
  });
});
