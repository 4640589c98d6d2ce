import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { recoverRun } from '../../../src/recovery/recover.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

describe('recoverRun', () => {
  it('reverts what a run left applied newest first, verified, in a recovery journal of its own', async () => {
    const engine = new FakeEngine([
      { service: 'app', project: 'shop', status: 'paused' },
      { service: 'db', project: 'shop', status: 'exited' },
    ]);
    const record = (ref: string, service: string, mode: string): FaultRecord => {
      const container = engine.containersOf(service)[0]!;
      return {
        ref,
        kind: 'service',
        revertible: true,
        spec: { kind: 'service', service, mode, signal: 'SIGKILL' },
        targets: [{ containerId: container.id, name: container.name, service }],
      };
    };
    const dir = mkdtempSync(join(tmpdir(), 'firedrill-recover-'));
    const run = {
      dir,
      runId: 'r1',
      project: 'shop',
      pending: [record('older', 'app', 'pause'), record('newer', 'db', 'stop')],
      unreadable: [],
    };

    const outcome = await recoverRun(run, { engine, clock: new FakeClock() });

    expect(outcome).toMatchObject({ verified: ['newer', 'older'], unverified: [], exitCode: 0 });
    const order = engine.calls.filter((c) => c.method === 'start' || c.method === 'unpause').map((c) => c.method);
    expect(order).toEqual(['start', 'unpause']);
    expect(engine.containersOf('app')[0]!.status).toBe('running');
    expect(engine.containersOf('db')[0]!.status).toBe('running');
    expect(readdirSync(dir).filter((name) => name.startsWith('recovery-'))).toHaveLength(1);
  });
});
