import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli-process.js';

/**
 * Each command loads what it uses and nothing heavier: the built CLI runs with a recorder
 * preloaded (test/support/module-recorder.mjs) and the modules it loaded are read back. What a
 * command must not load is named by package (or Node built-in), so a new top-level import that
 * drags one in fails here; the time it costs is measured in bench/start.mjs.
 */

const BIN = join(REPO_ROOT, 'bin', 'firedrill.js');
const RECORDER = fileURLToPath(new URL('../support/module-recorder.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'firedrill-start-imports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let runs = 0;
async function loadedBy(args: string[], env: Record<string, string> = {}) {
  const record = join(work, `modules-${++runs}.txt`);
  const result = await execa(process.execPath, ['--import', RECORDER, BIN, ...args], {
    cwd: REPO_ROOT,
    env: { CI: 'true', NO_COLOR: '1', FIREDRILL_MODULE_RECORD: record, ...env },
    reject: false,
    timeout: 60_000,
  });
  const urls = readFileSync(record, 'utf8').split('\n');
  /** Packages by name (`node_modules/<name>/`), built-ins as `node:<name>`, firedrill's own files by their path under dist/. */
  const names = new Set(
    urls.map(
      (url) =>
        /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? (url.startsWith('node:') ? url : url.replace(/^.*\/dist\//, 'dist/')),
    ),
  );
  return { result, names, commandModules: [...names].filter((name) => name.startsWith('dist/cli/commands/')) };
}

const HEAVY = ['execa', 'dockerode', 'listr2', 'markdown-it', 'zod', 'yaml'];
/** Those of `wanted` that were loaded: each test expects none. */
const loadedAmong = (names: Set<string>, wanted: string[]) => wanted.filter((name) => names.has(name));

describe('what each command loads', () => {
  it('--version, --help and a command’s --help load no command module and none of the heavy packages', async () => {
    for (const args of [['--version'], ['--help'], ['validate', '--help'], ['run', '--help']]) {
      const { result, names, commandModules } = await loadedBy(args);
      expect(result.exitCode, args.join(' ')).toBe(0);
      expect(commandModules, args.join(' ')).toEqual([]);
      expect(loadedAmong(names, [...HEAVY, 'node:crypto']), args.join(' ')).toEqual([]);
    }
  });

  it('schema prints the committed schema: no zod, no execa, no Docker client, no YAML parser', async () => {
    const { result, names, commandModules } = await loadedBy(['schema']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(commandModules).toEqual(['dist/cli/commands/schema.js']);
    expect(loadedAmong(names, ['zod', 'execa', 'dockerode', 'listr2', 'markdown-it', 'yaml', 'node:crypto'])).toEqual([]);
  });

  it('validate with the built-in compose reader starts no process and no Docker client, and hashes nothing', async () => {
    const { result, names, commandModules } = await loadedBy(['validate', 'drills/service-crash.yaml', 'drills/cache-purge.yaml'], {
      FIREDRILL_COMPOSE_CLI: 'none',
    });
    expect(result.stdout).toBe('2 playbooks valid');
    expect(result.exitCode).toBe(0);
    expect(commandModules).toEqual(['dist/cli/commands/validate.js']);
    expect(loadedAmong(names, ['execa', 'dockerode', 'listr2', 'markdown-it', 'node:crypto'])).toEqual([]);
  });

  it('validate through the compose CLI loads execa to run it, still no Docker client', async () => {
    const { result, names } = await loadedBy(['validate', 'drills/network-partition.yaml']);
    expect(result.stdout).toBe('1 playbook valid');
    expect(names.has('execa')).toBe(true);
    expect(loadedAmong(names, ['dockerode', 'listr2', 'markdown-it'])).toEqual([]);
  });

  it('run loads execa with the command, before any drill starts: no timed host probe waits for it', async () => {
    const { result, names } = await loadedBy(['run', 'test/fixtures/playbooks/invalid/wrong-type.yaml', '--runs-dir', join(work, 'runs')], {
      FIREDRILL_COMPOSE_CLI: 'none',
    });
    expect(result.exitCode).toBe(2);
    expect(names.has('execa')).toBe(true);
  });

  it('demo loads the runner only once its topology is up: without an engine, it stops having loaded none of it', async () => {
    const { result, names, commandModules } = await loadedBy(['demo'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('Docker is not reachable at unix:///nonexistent/docker.sock');
    expect(commandModules).toEqual(['dist/cli/commands/demo.js']);
    expect(loadedAmong(names, ['dist/run/drill-runner.js', 'listr2', 'markdown-it', 'zod', 'yaml'])).toEqual([]);
  });

  it('history without --html loads no report renderer', async () => {
    const { result, names } = await loadedBy(['history', '--runs-dir', join(work, 'no-runs')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('no runs in');
    expect(loadedAmong(names, ['markdown-it', 'dockerode', 'execa', 'listr2'])).toEqual([]);
  });
});
