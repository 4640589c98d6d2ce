import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/reader.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { firedrill } from './cli-process.js';

/**
 * Stop conditions and maxDuration against a real compose project, through the built CLI:
 * a real probe (curl from the client container to region a's web server) breaches while web-a
 * is paused, and a paused web-a is unpaused by its maxDuration while a long pause step runs.
 */
describe('firedrill run with stop conditions and maxDuration', () => {
  let fixture: FixtureProject;
  let dir: string;
  beforeAll(async () => {
    fixture = await startFixtureProject('two-region');
    dir = mkdtempSync(join(tmpdir(), 'firedrill-guards-'));
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
  });

  function playbook(name: string, lines: string[]): string {
    const file = join(dir, `${name}.yaml`);
    const head = [
      `name: ${name}`,
      'title: Guarded drill',
      'summary: Region a is frozen while it is watched.',
      'topology:',
      `  composeFile: ${fixture.file}`,
      `  project: ${fixture.project}`,
    ];
    writeFileSync(file, `${[...head, ...lines].join('\n')}\n`);
    return file;
  }

  const runDirOf = (stdout: unknown) => {
    const found = /run directory: (\S+)/.exec(String(stdout))?.[1];
    if (!found) throw new Error(`the run printed no run directory:\n${String(stdout)}`);
    return found;
  };

  it('a breached stop condition aborts the drill (exit 4), reverts the fault and names the condition in the report', async () => {
    const file = playbook('guarded-pause', [
      'stopConditions:',
      '  - name: region a web answers',
      '    probe: { kind: exec, service: client, command: "curl -sf -m 1 -o /dev/null http://www-a/", timeout: 5s }',
      '    every: 500ms',
      '    tolerate: 1s',
      'steps:',
      '  - name: freeze region a web',
      '    inject: { kind: service, id: freeze-a, service: web-a, mode: pause }',
      '  - name: hold it',
      '    pause: 90s',
    ]);
    const result = await firedrill(['run', file, '--runs-dir', join(dir, 'runs')]);
    expect(result.exitCode, String(result.all)).toBe(4);
    expect((await fixture.container('web-a')).status).toBe('running');

    const runDir = runDirOf(result.stdout);
    const journal = await readJournal(join(runDir, 'journal.jsonl'));
    const breached = journal.find((e) => e.type === 'stop-condition.breached');
    expect(breached?.data).toMatchObject({ name: 'region a web answers', rule: 'tolerate' });
    expect(journal.find((e) => e.type === 'drill.aborting')?.data).toMatchObject({ cause: 'stop-condition' });
    expect(journal.find((e) => e.type === 'fault.reverted')?.data).toMatchObject({ ref: 'freeze-a', verified: true });
    // The pause step was cut short by the breach, long before its 90s.
    const hold = journal.find((e) => e.type === 'step.finished' && e.data.index === 1);
    expect(hold?.data).toMatchObject({ status: 'failed' });

    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(report).toContain('**Verdict: Aborted** (exit code 4)');
    expect(report).toMatch(
      /\*\*Stop condition “region a web answers” stopped the drill\*\* at \+\d+\.\d{3}s, \d+\.\d{3}s after fault `freeze-a` was applied/,
    );
    expect(String(result.stdout)).toContain('stop condition "region a web answers" breached — ');
  });

  it('maxDuration unpauses a real paused service while a long pause step is still running', async () => {
    const file = playbook('bounded-pause', [
      'steps:',
      '  - name: freeze region a web',
      '    inject: { kind: service, id: freeze-a, service: web-a, mode: pause, maxDuration: 2s }',
      '  - name: hold it',
      '    pause: 12s',
    ]);
    const child = firedrill(['run', file, '--runs-dir', join(dir, 'runs')]);
    let exited = false;
    void child.finally(() => (exited = true));
    // Once the CLI says the fault was reverted, before any rollback and with the drill still
    // running, the container must run again.
    const atRevert = await new Promise<{ output: string; running: boolean; status: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the fault was never reverted')), 60_000);
      let seen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        if (seen.includes('fault "freeze-a" reverted')) return;
        seen += chunk.toString();
        if (!seen.includes('fault "freeze-a" reverted')) return;
        clearTimeout(timer);
        const running = !exited;
        fixture.container('web-a').then((c) => resolve({ output: seen, running, status: c.status }), reject);
      });
    });
    expect(atRevert.status).toBe('running');
    expect(atRevert.running).toBe(true);
    expect(atRevert.output).toContain('reached its maximum duration');
    expect(atRevert.output).not.toContain('rolling back');
    const result = await child;
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(String(result.stdout)).toContain('fault "freeze-a" (service) reached its maximum duration of 2s');

    const journal = await readJournal(join(runDirOf(result.stdout), 'journal.jsonl'));
    const types = journal.map((e) => e.type);
    const holdFinished = journal.findIndex((e) => e.type === 'step.finished' && e.data.index === 1);
    expect(types.indexOf('fault.expired')).toBeGreaterThan(-1);
    expect(types.indexOf('fault.expired')).toBeLessThan(holdFinished);
    // Reverted once, verified; the final rollback had nothing left to do.
    expect(journal.filter((e) => e.type === 'fault.reverted').map((e) => e.data)).toEqual([
      expect.objectContaining({ ref: 'freeze-a', verified: true }),
    ]);
    expect(journal.find((e) => e.type === 'step.finished' && e.data.index === 1)?.data).toMatchObject({ status: 'passed' });
  });
});
