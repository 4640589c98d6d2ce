import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { serviceFault } from '../../../src/faults/service.js';
import { RollbackLedger, type RevertOutcome } from '../../../src/run/rollback-ledger.js';
import type { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { guardedPlaybook, pauseApp, runGuardedDrill } from './support/guarded-drill.js';

/** A paused app container and the record of the fault that paused it. */
function pausedApp(): { engine: FakeEngine; record: FaultRecord } {
  const engine = new FakeEngine([{ service: 'app', project: 'shop', status: 'paused' }], { project: 'shop' });
  const spec = serviceFault.schema.parse({ kind: 'service', service: 'app', mode: 'pause' });
  const app = engine.containersOf('app')[0]!;
  return {
    engine,
    record: { ref: 'freeze', kind: 'service', revertible: true, spec, targets: [{ containerId: app.id, name: app.name, service: 'app' }] },
  };
}

/** A gate the engine waits on before acting: holds a revert open until the test opens it. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

describe('RollbackLedger', () => {
  it('reverts a fault once when asked twice at once: the second caller joins the first revert and gets its outcome', async () => {
    const { engine, record } = pausedApp();
    const held = gate();
    engine.before('unpause', held.wait);
    const ledger = new RollbackLedger();
    ledger.add(record);

    const first = ledger.revert('freeze', engine);
    // Let the first revert reach the engine, where it is held open.
    for (let turn = 0; turn < 5 && engine.callsTo('unpause').length === 0; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(engine.callsTo('unpause')).toHaveLength(1);
    expect(ledger.reverting('freeze')).toBe(true);
    const second = ledger.revert('freeze', engine);
    held.open();

    const [a, b] = await Promise.all([first, second]);
    expect(engine.callsTo('unpause')).toHaveLength(1);
    expect(a).toMatchObject({ verified: true, joined: false });
    expect(b).toMatchObject({ verified: true, joined: true });
    const outcome = ({ joined: _, ...rest }: RevertOutcome & { joined: boolean }) => rest;
    expect(outcome(b!)).toEqual(outcome(a!));
    expect(ledger.reverting('freeze')).toBe(false);
    expect(ledger.pending()).toEqual([]);
    expect(await ledger.revert('freeze', engine)).toBeUndefined();
  });

  it('after an unverified revert, a later call reverts again rather than reusing that outcome', async () => {
    const { engine, record } = pausedApp();
    engine.failNext('unpause');
    const ledger = new RollbackLedger();
    ledger.add(record);
    expect(await ledger.revert('freeze', engine)).toMatchObject({ verified: false, joined: false });
    expect(ledger.pending().map((r) => r.ref)).toEqual(['freeze']);
    expect(await ledger.revert('freeze', engine)).toMatchObject({ verified: true, joined: false });
    expect(engine.callsTo('unpause')).toHaveLength(2);
  });
});

describe("a revert step and the fault's maxDuration at the same moment", () => {
  /** Each unpause takes 300ms on the drill's clock: long enough for the other caller to arrive. */
  const slowUnpause = (engine: FakeEngine, clock: FakeClock) => engine.before('unpause', () => clock.sleep(300));

  it('the revert step joins the revert the expiry began: one unpause, one fault.reverted, the step passes', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({
        steps: [
          pauseApp({ maxDuration: '1s' }),
          { name: 'hold it', pause: '1s' },
          { name: 'unfreeze', run: { kind: 'revert', fault: 'freeze' } },
        ],
      }),
      { beforeRun: slowUnpause },
    );
    expect(drill.of('fault.expired')).toHaveLength(1);
    expect(drill.engine.callsTo('unpause')).toHaveLength(1);
    expect(drill.of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'freeze', verified: true })]);
    expect(drill.of('action.finished')).toEqual([expect.objectContaining({ index: 2, ok: true, summary: 'reverted freeze' })]);
    expect(drill.of('step.finished').map((s) => s.status)).toEqual(['passed', 'passed', 'passed']);
    expect(drill.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });

  it('the expiry does nothing while a revert step is reverting the fault', async () => {
    const drill = await runGuardedDrill(
      guardedPlaybook({
        steps: [
          pauseApp({ maxDuration: '1s' }),
          { name: 'hold it', pause: '900ms' },
          { name: 'unfreeze', run: { kind: 'revert', fault: 'freeze' } },
        ],
      }),
      { beforeRun: slowUnpause },
    );
    expect(drill.of('fault.expired')).toEqual([]);
    expect(drill.engine.callsTo('unpause')).toHaveLength(1);
    expect(drill.of('fault.reverted')).toEqual([expect.objectContaining({ ref: 'freeze', verified: true })]);
    expect(drill.outcome).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
});
