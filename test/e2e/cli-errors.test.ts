import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firedrill } from './cli-process.js';

const INVALID = 'test/fixtures/playbooks/invalid';

describe('firedrill CLI: bad input is refused clearly and touches nothing', () => {
  it('validate reports every problem as file:line:column with the usage exit code', async () => {
    const result = await firedrill(['validate', `${INVALID}/unknown-targets.yaml`, `${INVALID}/wrong-type.yaml`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(
      `${INVALID}/unknown-targets.yaml:17:36: steps[2].run.service: service "cache" is not defined in the compose file (did you mean "cache-eu"?)`,
    );
    expect(result.stdout).toContain(`${INVALID}/wrong-type.yaml:10:20: steps[0].wait.consecutive: expected a whole number, got 1.5`);
    expect(result.stdout).toMatch(/\d+ problems in 2 of 2 playbooks/);
  });

  it('validate accepts the bundled drills', async () => {
    const result = await firedrill([
      'validate',
      'drills/region-loss.yaml',
      'drills/cache-purge.yaml',
      'drills/service-crash.yaml',
      'drills/network-partition.yaml',
    ]);
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
    expect(result.stderr).toContain('start the Docker daemon or set DOCKER_HOST (run `firedrill doctor` to check this machine)');
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

describe('firedrill CLI: every problem in one pass, each in its place, echoed safely', () => {
  it('validate reports the YAML, schema and reference problems of one playbook in one run', async () => {
    const result = await firedrill(['validate', `${INVALID}/many-mistakes.yaml`]);
    expect(result.exitCode).toBe(2);
    const lines = String(result.stdout).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('19 problems in 1 playbook');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${INVALID}/many-mistakes.yaml:6:1: duplicate key "title" (first given on line 4; a key may appear once per mapping)`,
        `${INVALID}/many-mistakes.yaml:23:58: steps[1].inject.service: service "memcache-a" is not defined in the compose file (did you mean "memcached-a"?)`,
        `${INVALID}/many-mistakes.yaml:23:77: steps[1].inject.cache: expected one of "redis", "nginx" or "command", got "memcached"`,
        `${INVALID}/many-mistakes.yaml:31:5: steps[4]: a step takes exactly one of inject, wait, run, manual, notify, pause; this one has wait and pause`,
      ]),
    );
  });

  it('validate places a syntax error inside the file, where it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-e2e-'));
    writeFileSync(join(dir, 'indent.yaml'), '    inject:\ntitle: T\n    wait:\n');
    writeFileSync(join(dir, 'unclosed.yaml'), 'name: n\ntitle: t\nsummary: s\ntopology:\n  project: p\nsteps: []\nrollback: [always\n');
    const result = await firedrill(['validate', 'indent.yaml', 'unclosed.yaml'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('indent.yaml:3:9: invalid YAML: unexpected ":"');
    expect(result.stdout).not.toContain('indent.yaml:2:18');
    expect(result.stdout).toContain('unclosed.yaml:7:11: invalid YAML: the list opened here with "[" is not closed');
  });

  it('validate never lets text from the playbook reach the terminal raw', async () => {
    const result = await firedrill(['validate', `${INVALID}/control-characters.yaml`]);
    expect(result.exitCode).toBe(2);
    const lines = String(result.stdout).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(String(result.stdout)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(lines[1]).toBe(
      `${INVALID}/control-characters.yaml:7:1: unknown key "bad\\nkey\\x1b[31mRED" (keys allowed here: version, name, title, description, summary, nextSteps, topology, objectives, steadyState, stopConditions, steps, restore, rollback, timeLimit, report)`,
    );
  });

  it('run refuses --max-regression 0x10, and report refuses --json without --compare', async () => {
    const regression = await firedrill(['run', 'drills/region-loss.yaml', '--max-regression', '0x10']);
    expect(regression.exitCode).toBe(2);
    expect(regression.stderr).toContain("argument '0x10' is invalid. give a percentage of 0 or more, e.g. 20 or 20%.");
    const report = await firedrill(['report', 'test/fixtures/journals/region-a-loss-passed', '--json']);
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toContain('--json only applies with --compare');
  });
});
