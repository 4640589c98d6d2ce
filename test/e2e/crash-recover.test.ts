import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { firedrill } from './cli-process.js';
import { neverRecoveringPlaybook, runUntilFaultApplied } from './interrupted-drill.js';

/**
 * firedrill killed with SIGKILL while its fault is applied cannot roll back. The journal holds
 * the fault's record (written before it was applied), so: a new drill on the project refuses to
 * start, `firedrill recover --project` reverts the fault and verifies it, a second recover finds
 * nothing, and drills may run again.
 */
describe('crash: SIGKILL while a fault is applied, then recover', () => {
  let fixture: FixtureProject;
  let dir: string;
  beforeAll(async () => {
    fixture = await startFixtureProject('two-region');
    dir = mkdtempSync(join(tmpdir(), 'firedrill-crash-'));
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
  });

  const playbook = (name: string, inject: Record<string, unknown>) => neverRecoveringPlaybook(dir, fixture, name, inject);

  async function crashWhileApplied(file: string, runs: string): Promise<void> {
    const { child } = await runUntilFaultApplied(file, runs);
    child.kill('SIGKILL');
    await child;
  }

  const cases: [string, Record<string, unknown>, (f: FixtureProject) => Promise<boolean>][] = [
    ['service pause', { kind: 'service', service: 'web-a', mode: 'pause' }, async (f) => (await f.container('web-a')).status === 'paused'],
    ['region stop', { kind: 'region-loss', region: 'a', mode: 'stop' }, async (f) => (await f.container('cache-a')).status === 'exited'],
    ['region isolate', { kind: 'region-loss', region: 'a', mode: 'isolate' }, async (f) => (await f.container('web-a')).networks.length === 0],
  ];

  it.each(cases)('%s: the fault stays after the crash, recover reverts it', async (name, inject, faultStillApplied) => {
    const runs = join(dir, name.replace(/\W+/g, '-'));
    const file = playbook(name.replace(/\W+/g, '-'), inject);
    await crashWhileApplied(file, runs);
    expect(await faultStillApplied(fixture)).toBe(true);

    const refused = await firedrill(['run', file, '--runs-dir', runs]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain(`firedrill recover --project ${fixture.project}`);

    const recovered = await firedrill(['recover', '--project', fixture.project, '--runs-dir', runs]);
    expect(recovered.exitCode, String(recovered.all)).toBe(0);
    expect(recovered.stdout).toContain('reverted and verified');
    expect(await faultStillApplied(fixture)).toBe(false);
    for (const service of ['web-a', 'cache-a', 'web-b']) expect((await fixture.container(service)).status).toBe('running');

    const again = await firedrill(['recover', '--project', fixture.project, '--runs-dir', runs]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to recover');
  });
});
