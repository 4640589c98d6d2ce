import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { validatePlaybooks } from '../../../src/playbook/load.js';
import { planScaffold, type ScaffoldPlan } from '../../../src/scaffold/scaffold.js';
import { writeScaffold } from '../../../src/scaffold/write-files.js';
import { GATEWAY_CONF, NO_REGIONS_COMPOSE, SUGGESTED_REGIONS_COMPOSE, useProjectDirs } from './scaffold-project.js';

const twoRegionFixture = fileURLToPath(new URL('../../fixtures/compose/two-region/', import.meta.url));
const demoDir = fileURLToPath(new URL('../../../templates/demo/', import.meta.url));
const projectDir = useProjectDirs();

interface PlaybookShape {
  name: string;
  topology: { composeFile: string; project: string; regions?: Record<string, string[]> };
  steadyState: { probes: { kind: string; service?: string; url?: string; expect?: unknown }[] };
  steps: {
    name: string;
    inject?: Record<string, unknown>;
    wait?: { probe: Record<string, unknown>; from?: string };
    run?: Record<string, unknown>;
  }[];
}

/** Writes the plan's files and checks every playbook with the real validation; returns them parsed, by path. */
async function writtenPlaybooks(dir: string, plan: ScaffoldPlan): Promise<Record<string, PlaybookShape>> {
  await writeScaffold(dir, plan.files, false);
  const paths = plan.files.filter((file) => file.path.startsWith('drills/')).map((file) => join(dir, file.path));
  const results = await validatePlaybooks(paths);
  expect(results.flatMap((result) => result.issues)).toEqual([]);
  const parsed: Record<string, PlaybookShape> = {};
  for (const file of plan.files.filter((f) => f.path.startsWith('drills/')))
    parsed[file.path] = parse(await readFile(join(dir, file.path), 'utf8')) as PlaybookShape;
  return parsed;
}

describe('starter playbooks', () => {
  it('from region labels: a region drill per region, a crash of a stateless service, a purge of every cache — all valid', async () => {
    const dir = await projectDir({}, 'two-region');
    await cp(twoRegionFixture, dir, { recursive: true });
    const plan = await planScaffold({ dir, ci: 'none' });
    expect(plan.project).toBe('two-region');
    expect(plan.regions).toMatchObject({ source: { kind: 'labels' }, regions: { a: ['web-a', 'cache-a'], b: ['web-b'] } });
    expect(plan.files.map((file) => file.path)).toEqual([
      'drills/region-a-loss.yaml',
      'drills/region-b-loss.yaml',
      'drills/service-crash.yaml',
      'drills/cache-purge.yaml',
    ]);

    const playbooks = await writtenPlaybooks(dir, plan);
    const regionA = playbooks['drills/region-a-loss.yaml']!;
    expect(regionA.topology).toEqual({ composeFile: '../docker-compose.yml', project: 'two-region' });
    expect(regionA.steps[0]?.inject).toEqual({ kind: 'region-loss', id: 'region-a-down', region: 'a', mode: 'kill' });
    // Region b's web server is what is left to watch; no port is published, so it is "running".
    expect(regionA.steps[1]?.wait?.probe).toMatchObject({ kind: 'health', service: 'web-b', expect: { status: 'running' } });
    expect(regionA.steadyState.probes.map((probe) => probe.service)).toEqual(['web-b', 'cache-a', 'web-a']);

    const crash = playbooks['drills/service-crash.yaml']!;
    expect(crash.steps.map((step) => Object.keys(step).find((key) => key !== 'name'))).toEqual(['inject', 'run', 'wait']);
    expect(crash.steps[0]?.inject).toMatchObject({ kind: 'service', service: 'web-a', mode: 'kill' });
    expect(crash.steps[1]?.run).toEqual({ kind: 'start', service: 'web-a' });
    expect(crash.steps[2]?.wait?.from).toBe('web-a-crash');

    const purge = playbooks['drills/cache-purge.yaml']!;
    expect(purge.steps.flatMap((step) => (step.inject ? [step.inject] : []))).toEqual([
      { kind: 'cache-purge', id: 'web-a-cache-purge', service: 'web-a', cache: 'nginx', path: '/var/cache/nginx/fixture' },
      { kind: 'cache-purge', id: 'cache-a-purge', service: 'cache-a', cache: 'redis' },
    ]);
  });

  it('the bundled demo: empties its two redis caches, never its order store, and crashes an app', async () => {
    const dir = await projectDir({}, 'demo');
    await cp(demoDir, dir, { recursive: true });
    const plan = await planScaffold({ dir, ci: 'none', project: 'firedrill-demo' });
    const playbooks = await writtenPlaybooks(dir, plan);
    const purge = playbooks['drills/cache-purge.yaml']!;
    expect(purge.steps.flatMap((step) => (step.inject ? [step.inject] : []))).toEqual([
      { kind: 'cache-purge', id: 'cache-a-purge', service: 'cache-a', cache: 'redis' },
      { kind: 'cache-purge', id: 'cache-b-purge', service: 'cache-b', cache: 'redis' },
    ]);
    const text = await readFile(join(dir, 'drills/cache-purge.yaml'), 'utf8');
    expect(text.replace(/\n *# /g, ' ')).toContain(
      'FLUSHALL deletes every key in cache-a: it is a cache (its name says "cache"; app-a\'s CACHE_HOST names it; it evicts keys as a cache does ' +
        '(--maxmemory-policy allkeys-lru); it keeps nothing on disk (--save "" and --appendonly no)), and nothing says it may hold data.',
    );
    const crash = playbooks['drills/service-crash.yaml']!;
    expect(['app-a', 'app-b']).toContain(crash.steps[0]?.inject?.service);
  });

  it('from service names: regions written as a mapping and called a suggestion; HTTP probes on the published port', async () => {
    const dir = await projectDir({
      'compose.yaml': SUGGESTED_REGIONS_COMPOSE,
      'gateway.conf': GATEWAY_CONF,
      'api/Dockerfile': 'FROM node:24\n',
    });
    const plan = await planScaffold({ dir, ci: 'none', project: 'shop-staging' });
    expect(plan.regions.source).toEqual({ kind: 'names', pattern: 'a letter suffix (-a, -b)' });
    const playbooks = await writtenPlaybooks(dir, plan);

    const regionA = playbooks['drills/region-a-loss.yaml']!;
    expect(regionA.topology).toEqual({ composeFile: '../compose.yaml', project: 'shop-staging', regions: { a: ['api-a'], b: ['api-b'] } });
    const text = await readFile(join(dir, 'drills/region-a-loss.yaml'), 'utf8');
    expect(text).toContain(
      '  # Suggested from the service names, by a letter suffix (-a, -b): check that these are your\n  # regions, or label the services with firedrill.region in compose.yaml and remove this\n  # mapping.\n  regions:\n    a: [api-a]\n',
    );
    // The gateway is outside every region: it is what customers reach, on its healthcheck's path.
    expect(regionA.steps[1]?.wait?.probe).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:18090/healthz' });

    const crash = playbooks['drills/service-crash.yaml']!;
    expect(crash.steps[0]?.inject).toMatchObject({ service: 'api-a' });
    // api-a has a twin in region b: the gateway must keep answering while it is down.
    expect(crash.steps.map((step) => step.name)).toEqual([
      'Crash api-a',
      'gateway still answers',
      'Start api-a again',
      'api-a is healthy again',
    ]);

    const purge = playbooks['drills/cache-purge.yaml']!;
    expect(purge.steps.flatMap((step) => (step.inject ? [step.inject.service] : []))).toEqual(['gateway', 'cache']);
    expect(purge.steps.at(-1)?.wait?.probe).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:18090/healthz' });
  });

  it('without regions: no region drill, and a note saying why and what to do', async () => {
    const dir = await projectDir({ 'docker-compose.yml': NO_REGIONS_COMPOSE });
    const plan = await planScaffold({ dir, ci: 'none' });
    // The name: key wins over the directory, normalised as compose does.
    expect(plan).toMatchObject({ project: 'shop_prod', projectFrom: "the compose file's name: key" });
    expect(plan.files.map((file) => file.path)).toEqual(['drills/service-crash.yaml']);
    expect(plan.notes).toEqual([
      'no region drill: no service has the label firedrill.region, and no service names follow a pattern that suggests regions ' +
        '(app-a/app-b, web_east/web_west, api-1/api-2); label services with firedrill.region=<region>, or name your region label with --region-label',
      // No HTTP endpoint is declared for web: its probe is a TCP connection, and the output says to point it at one.
      'web is observed by a TCP connection to 127.0.0.1:8080 in service-crash.yaml: the compose file declares no HTTP health endpoint for it ' +
        '(a healthcheck that curls http://localhost:<port>/<path>) — point an http probe at a real endpoint for a stronger check',
    ]);
    expect(plan.skipped).toEqual([
      {
        what: 'cache-purge.yaml',
        reason:
          'no cache that may be emptied was found (no redis that holds nothing but cache, no memcached, no nginx with a proxy_cache_path)',
        leftOut: [
          { service: 'web', reason: 'not a cache: its image acme/web:1 is none that init knows as a store, a cache or nginx' },
          { service: 'worker', reason: 'not a cache: its image acme/worker:1 is none that init knows as a store, a cache or nginx' },
          { service: 'db', reason: 'not a cache: it runs a database (its image is postgres:16)' },
        ],
      },
    ]);
    const crash = (await writtenPlaybooks(dir, plan))['drills/service-crash.yaml']!;
    expect(crash.steps[0]?.inject).toMatchObject({ service: 'web' });
    expect(crash.steps.at(-1)?.wait?.probe).toMatchObject({ kind: 'tcp', port: 8080 });
  });

  it('takes a variable in the name: key at its default, as compose does with the variable unset', async () => {
    const withDefault = await projectDir(
      { 'compose.yaml': NO_REGIONS_COMPOSE.replace('name: Shop_Prod', 'name: ${COMPOSE_PROJECT_NAME:-shop}') },
      'checkout',
    );
    expect(await planScaffold({ dir: withDefault, ci: 'none' })).toMatchObject({
      project: 'shop',
      projectFrom: "the compose file's name: key, ${COMPOSE_PROJECT_NAME:-shop} at its default",
    });
    const dashOnly = await projectDir(
      { 'compose.yaml': NO_REGIONS_COMPOSE.replace('name: Shop_Prod', 'name: ${STAGE-ci}_shop') },
      'checkout',
    );
    expect((await planScaffold({ dir: dashOnly, ci: 'none' })).project).toBe('ci_shop');
  });

  it('writes no crash drill when every service keeps state, and says which and why', async () => {
    const dir = await projectDir({
      'compose.yml': 'services:\n  db:\n    image: postgres:16\n  store:\n    image: redis:7\n    command: redis-server --appendonly yes\n',
    });
    const plan = await planScaffold({ dir, ci: 'none' });
    expect(plan.files).toEqual([]);
    expect(plan.skipped.find((skipped) => skipped.what === 'service-crash.yaml')).toEqual({
      what: 'service-crash.yaml',
      reason: 'no service can be crashed as a stateless one, and crashing a data store is a drill to design by hand',
      leftOut: [
        { service: 'db', reason: 'not stateless: it runs a database (its image is postgres:16)' },
        { service: 'store', reason: 'not stateless: it runs a data store (redis: its command runs redis-server)' },
      ],
    });
    expect(plan.skipped.find((skipped) => skipped.what === 'cache-purge.yaml')?.leftOut).toContainEqual({
      service: 'store',
      reason:
        'it may hold data: its name says "store"; it persists (--appendonly yes) (firedrill init --cache store if it is only a cache)',
    });
  });

  describe('usage errors (exit 2)', () => {
    it('when no compose file is found', async () => {
      const dir = await projectDir({});
      await expect(planScaffold({ dir, ci: 'none' })).rejects.toThrow(UsageError);
      await expect(planScaffold({ dir, ci: 'none' })).rejects.toThrow(
        /no compose file in .* \(looked for compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml\)/,
      );
    });

    it('when the compose file has no services, or is not one', async () => {
      const dir = await projectDir({ 'compose.yaml': 'services: {}\n', 'other.yml': 'just: text\n' });
      await expect(planScaffold({ dir, ci: 'none' })).rejects.toThrow(/defines no services: there is nothing to drill/);
      await expect(planScaffold({ dir, ci: 'none', composeFile: join(dir, 'other.yml') })).rejects.toThrow(/has no "services" mapping/);
    });

    it('when the name: key depends on a variable without a default', async () => {
      const dir = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE.replace('name: Shop_Prod', 'name: ${STAGE:-shop}-${TEAM}') });
      const planned = planScaffold({ dir, ci: 'none' });
      await expect(planned).rejects.toThrow(UsageError);
      await expect(planned).rejects.toThrow(
        'the compose file\'s name: "${STAGE:-shop}-${TEAM}" depends on $TEAM, which has no default — give the project name with --project <name>',
      );
      expect((await planScaffold({ dir, ci: 'none', project: 'shop-ci' })).project).toBe('shop-ci');
    });

    it('when --project is not a compose project name', async () => {
      const dir = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE });
      await expect(planScaffold({ dir, ci: 'none', project: 'My Shop' })).rejects.toThrow(
        /--project "My Shop" is not a compose project name/,
      );
    });
  });

  it('leaves out services behind a compose profile, and says so', async () => {
    const dir = await projectDir({
      'compose.yaml': NO_REGIONS_COMPOSE.replace('  worker:\n', '  debug-web:\n    image: acme/web:1\n    profiles: [debug]\n  worker:\n'),
    });
    const plan = await planScaffold({ dir, ci: 'none' });
    expect(plan.notes).toContain('left out, as a plain `docker compose up` does not start them (profiles:): debug-web');
    expect(plan.files.map((file) => file.content).join('')).not.toContain('debug-web');
    const only = await projectDir({ 'compose.yaml': 'services:\n  tool:\n    image: acme/tool\n    profiles: [tools]\n' });
    await expect(planScaffold({ dir: only, ci: 'none' })).rejects.toThrow(
      'no service of compose.yaml is started by a plain `docker compose up` (profiles:, deploy.replicas: 0): there is nothing to drill',
    );
  });

  it('names an override file it does not read', async () => {
    const dir = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE, 'compose.override.yaml': 'services: {}\n' });
    const plan = await planScaffold({ dir, ci: 'none' });
    expect(plan.notes).toContain('compose.override.yaml is not read: services, labels and ports come from compose.yaml alone');
  });

  it('keeps files that exist unless forced', async () => {
    const dir = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE });
    const plan = await planScaffold({ dir, ci: 'none' });
    await writeFile(join(dir, 'x'), '');
    expect((await writeScaffold(dir, plan.files, false)).map((o) => o.result)).toEqual(['written']);
    await writeFile(join(dir, 'drills/service-crash.yaml'), 'mine\n');
    expect((await writeScaffold(dir, plan.files, false)).map((o) => o.result)).toEqual(['kept']);
    expect(await readFile(join(dir, 'drills/service-crash.yaml'), 'utf8')).toBe('mine\n');
    expect((await writeScaffold(dir, plan.files, true)).map((o) => o.result)).toEqual(['overwritten']);
    expect(await readFile(join(dir, 'drills/service-crash.yaml'), 'utf8')).toBe(plan.files[0]?.content);
  });
});
