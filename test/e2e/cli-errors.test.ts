import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firedrill } from './cli-process.js';

const INVALID = 'test/fixtures/playbooks/invalid';

describe('firedrill CLI: bad input is refused clearly and touches nothing', () => {
  it('validate reports every problem as file:line:column with the usage exit code', async () => {
    const result = await firedrill(['validate', `${INVALID}/unknown-targets.yaml`, `${INVALID}/wrong-type.yaml`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(`${INVALID}/unknown-targets.yaml:17:36: steps[2].run.service: service "cache" is not defined in the compose file (did you mean "cache-eu"?)`);
    expect(result.stdout).toContain(`${INVALID}/wrong-type.yaml:10:20: steps[0].wait.consecutive: expected a whole number, got 1.5`);
    expect(result.stdout).toMatch(/\d+ problems in 2 of 2 playbooks/);
  });

  it('validate accepts the bundled drills', async () => {
    const result = await firedrill(['validate', 'drills/region-loss.yaml', 'drills/cache-purge.yaml', 'drills/service-crash.yaml', 'drills/network-partition.yaml']);
    expect(result.all).toContain('4 playbooks valid');
    expect(result.exitCode).toBe(0);
  });

  it('run refuses an invalid playbook before creating anything', async () => {
    const runs = join(mkdtempSync(join(tmpdir(), 'firedrill-e2e-')), 'runs');
    const result = await firedrill(['run', `${INVALID}/wrong-type.yaml`, '--runs-dir', runs]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('nothing was touched');
    expect(existsSync(runs)).toBe(false);
  });

  it('run says how to reach Docker when it is unreachable, with the environment exit code', async () => {
    const runs = join(mkdtempSync(join(tmpdir(), 'firedrill-e2e-')), 'runs');
    const result = await firedrill(['run', 'drills/region-loss.yaml', '--runs-dir', runs], {
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('Docker is not reachable at unix:///nonexistent/docker.sock');
    expect(result.stderr).toContain('start the Docker daemon or set DOCKER_HOST');
    expect(existsSync(runs)).toBe(false);
  });

  it('unknown commands and options are usage errors; help is not', async () => {
    expect((await firedrill(['explode'])).exitCode).toBe(2);
    expect((await firedrill(['run', '--frobnicate', 'x.yaml'])).exitCode).toBe(2);
    const help = await firedrill(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('validate');
  });

  it('schema prints a draft-7 JSON Schema', async () => {
    const result = await firedrill(['schema']);
    expect(result.exitCode).toBe(0);
    const schema = JSON.parse(String(result.stdout)) as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toContain('draft-07');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['steps', 'objectives', 'topology']));
  });
});
