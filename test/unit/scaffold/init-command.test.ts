import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { captureIo } from '../history/support/capture-io.js';
import { NO_REGIONS_COMPOSE, useProjectDirs } from './scaffold-project.js';

const projectDir = useProjectDirs();

/** `firedrill init …` through the command line's entry point, its output captured. */
async function init(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['init', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('firedrill init', () => {
  it('writes the GitHub workflow by default, GitLab next to a .gitlab-ci.yml, both when .github/ is there too', async () => {
    const github = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE });
    expect((await init(['--dir', github])).code).toBe(0);
    expect(await readdir(join(github, '.github/workflows'))).toEqual(['firedrill.yml']);

    const gitlab = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE, '.gitlab-ci.yml': 'stages: [test]\n' });
    const written = await init(['--dir', gitlab]);
    expect(written.stdout).toMatch(/^wrote +\S*firedrill\.gitlab-ci\.yml +GitLab CI job/m);
    expect(await readFile(join(gitlab, '.gitlab-ci.yml'), 'utf8')).toBe('stages: [test]\n');
    expect((await readdir(gitlab)).includes('.github')).toBe(false);

    const both = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE, '.gitlab-ci.yml': 'stages: [test]\n' });
    await mkdir(join(both, '.github'));
    expect((await init(['--dir', both])).stdout).toMatch(/firedrill\.yml[\s\S]*firedrill\.gitlab-ci\.yml/);
  });

  it('installs firedrill in CI the way the project does when its package.json lists it', async () => {
    const dir = await projectDir({
      'compose.yaml': NO_REGIONS_COMPOSE,
      'package.json': '{"devDependencies":{"firedrill":"^0.1.0"}}',
      'package-lock.json': '{}',
    });
    await init(['--dir', dir, '--ci', 'github']);
    expect(await readFile(join(dir, '.github/workflows/firedrill.yml'), 'utf8')).toMatch(
      /- name: Install firedrill\n +run: \|\n +npm ci\n/,
    );
  });

  it('is a usage error without a compose file, and takes --compose relative to where it runs', async () => {
    const dir = await projectDir({ 'stack/app.yml': NO_REGIONS_COMPOSE });
    const missing = await init(['--dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no compose file in');

    const given = await init(['--dir', dir, '--compose', join(dir, 'stack/app.yml'), '--ci', 'none']);
    expect(given.code, given.stderr).toBe(0);
    expect(await readFile(join(dir, 'drills/service-crash.yaml'), 'utf8')).toContain('composeFile: ../stack/app.yml\n');
  });

  it('lists what it kept', async () => {
    const dir = await projectDir({ 'compose.yaml': NO_REGIONS_COMPOSE });
    await init(['--dir', dir, '--ci', 'none']);
    await writeFile(join(dir, 'drills/service-crash.yaml'), 'mine\n');
    const again = await init(['--dir', dir, '--ci', 'none']);
    expect(again.stdout).toMatch(/^kept +\S*drills\/service-crash\.yaml +it exists; --force overwrites it$/m);
  });

  it('takes the region label and the caches named on the command line, and lists what each starter left out', async () => {
    const compose = [
      'services:',
      '  web-east:',
      '    image: acme/web:1',
      '    labels: { exchange.zone: east }',
      '  web-west:',
      '    image: acme/web:1',
      '    labels: { exchange.zone: west }',
      '  ledger:',
      '    image: redis:7',
      '    command: redis-server --appendonly yes',
      '',
    ].join('\n');
    const dir = await projectDir({ 'compose.yaml': compose });
    const guessed = await init(['--dir', dir, '--ci', 'none']);
    expect(guessed.stdout).toContain('no regions');
    expect(guessed.stdout).toMatch(
      /^no cache-purge\.yaml: no cache that may be emptied was found .*\n( {2}left out: .*\n)* {2}left out: ledger — it may hold data: its name says "ledger"; it persists \(--appendonly yes\)/m,
    );

    const named = await init(['--dir', dir, '--ci', 'none', '--force', '--region-label', 'exchange.zone', '--cache', 'ledger']);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('regions from the exchange.zone labels: east = web-east; west = web-west');
    expect(named.stdout).toMatch(
      /^wrote +\S*drills\/region-east-loss\.yaml +loses region east \(web-east\)\n +left out: web-west — in region west\n +left out: ledger — in no region$/m,
    );
    expect(await readFile(join(dir, 'drills/region-east-loss.yaml'), 'utf8')).toContain('  regionLabel: exchange.zone\n');
    expect(await readFile(join(dir, 'drills/cache-purge.yaml'), 'utf8')).toContain(
      '# FLUSHALL deletes every key in ledger: named a cache with --cache.\n',
    );

    const unknown = await init(['--dir', dir, '--ci', 'none', '--cache', 'sessions']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--cache sessions: no such service in compose.yaml (its services are web-east, web-west, ledger)');
  });
});
