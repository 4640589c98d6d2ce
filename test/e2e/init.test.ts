import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
    expect(suggested.stdout).toContain('regions suggested from the service names, by a letter suffix (-a, -b): a = web-a, cache-a; b = web-b');
    expect(suggested.stdout).toMatch(/^wrote +firedrill\.gitlab-ci\.yml /m);
    const regionA = parse(await readFile(join(dir, 'drills/region-a-loss.yaml'), 'utf8')) as { topology: { regions: unknown } };
    expect(regionA.topology.regions).toEqual({ a: ['web-a', 'cache-a'], b: ['web-b'] });
    const validate = await firedrill(['validate', ...DRILLS.map((drill) => `drills/${drill}`)], { cwd: dir });
    expect(validate.exitCode, String(validate.all)).toBe(0);

    // No pattern left in the names: no region drill, and the reason.
    const plain = join(scratch, 'plain');
    await cp(dir, plain, { recursive: true, filter: (path) => basename(path) !== 'drills' });
    await writeFile(join(plain, 'docker-compose.yml'), compose.replace(/web-a/g, 'front').replace(/web-b/g, 'back').replace(/cache-a/g, 'cache'));
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
    expect(missing.stderr).toMatch(/^firedrill: no compose file in .*empty \(looked for compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml\)/);

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
