import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/reader.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { neverRecoveringPlaybook, runUntilFaultApplied } from './interrupted-drill.js';

/**
 * Interrupting the CLI mid-drill must leave the topology as it was: the fault is reverted,
 * the revert verified, the journal says why the drill stopped, and the exit code is "aborted".
 */
describe('firedrill run interrupted by a signal', () => {
  let fixture: FixtureProject;
  let dir: string;
  beforeAll(async () => {
    fixture = await startFixtureProject('two-region');
    dir = mkdtempSync(join(tmpdir(), 'firedrill-interrupt-'));
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
  });

  const playbook = (name: string, inject: Record<string, unknown>) => neverRecoveringPlaybook(dir, fixture, name, inject);

  async function interrupt(file: string, signal: NodeJS.Signals) {
    const { child } = await runUntilFaultApplied(file, join(dir, 'runs'));
    child.kill(signal);
    const result = await child;
    const runDir = /run directory: (\S+)/.exec(String(result.stdout))?.[1];
    return { result, journal: runDir ? await readJournal(join(runDir, 'journal.jsonl')) : [] };
  }

  it('SIGINT during a pause fault: unpaused again, exit 4', async () => {
    const { result, journal } = await interrupt(playbook('pause-web-a', { kind: 'service', service: 'web-a', mode: 'pause' }), 'SIGINT');
    expect(result.exitCode).toBe(4);
    expect((await fixture.container('web-a')).status).toBe('running');
    expect(journal.find((e) => e.type === 'drill.aborting')?.data).toMatchObject({ cause: 'signal', reason: 'received SIGINT' });
    expect(journal.find((e) => e.type === 'fault.reverted')?.data).toMatchObject({ verified: true });
  });

  it('SIGTERM during a region isolation: networks and aliases restored, exit 4', async () => {
    const before = await fixture.container('web-a');
    const { result } = await interrupt(playbook('isolate-a', { kind: 'region-loss', region: 'a', mode: 'isolate' }), 'SIGTERM');
    expect(result.exitCode).toBe(4);
    const after = await fixture.container('web-a');
    const names = (c: typeof before) =>
      c.networks
        .map(
          (n) =>
            `${n.networkName}:${n.aliases
              .filter((a) => !/^[0-9a-f]{12}$/.test(a))
              .sort()
              .join(',')}`,
        )
        .sort();
    expect(names(after)).toEqual(names(before));
    const dns = await fixture.engine.exec((await fixture.container('client')).id, ['getent', 'hosts', 'www-a']);
    expect(dns.exitCode).toBe(0);
  });

  it('SIGHUP (the terminal went away) during a stop fault: started again, exit 4', async () => {
    const { result, journal } = await interrupt(playbook('stop-web-b', { kind: 'service', service: 'web-b', mode: 'stop' }), 'SIGHUP');
    expect(result.exitCode).toBe(4);
    expect((await fixture.container('web-b')).status).toBe('running');
    expect(journal.find((e) => e.type === 'drill.aborting')?.data).toMatchObject({ cause: 'signal', reason: 'received SIGHUP' });
    expect(journal.find((e) => e.type === 'fault.reverted')?.data).toMatchObject({ verified: true });
  });
});
