import { describe, expect, it } from 'vitest';
import { statusStages } from '../../../src/report/status-stages.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

describe('the status-page stages', () => {
  it('places each stage at the fact it stands on, for a drill that recovered', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const [investigating, identified, monitoring, resolved] = statusStages(model);
    const fault = model.faults[0]!;
    const shop = model.steps[1]!.wait!;
    // Detection is when the failing check answered, not when it began.
    expect(shop.firstFailure!.answeredAtMs).toBeGreaterThan(shop.firstFailure!.atMs);
    expect(investigating).toMatchObject({ stage: 'investigating', atMs: shop.firstFailure!.answeredAtMs, basis: { kind: 'detected', check: 'Shop answers from region b' } });
    expect(investigating!.atMs).toBeGreaterThanOrEqual(fault.appliedAtMs!);
    expect(identified).toMatchObject({ stage: 'identified', atMs: null });
    expect(identified!.missing).toContain('no recovery action');
    expect(monitoring).toMatchObject({ stage: 'monitoring', atMs: shop.heldFromAtMs, basis: { kind: 'held' } });
    const lastFact = Math.max(fault.revert!.atMs, ...model.steadyState.after.map((c) => c.atMs));
    expect(resolved).toMatchObject({ stage: 'resolved', atMs: lastFact, basis: { kind: 'rolled-back', faults: 1 } });
  });

  it('never marks a drill resolved while a fault may remain', async () => {
    const { model } = await scenario(tempDir(), 'rollback-incomplete');
    const resolved = statusStages(model).find((s) => s.stage === 'resolved')!;
    expect(resolved.atMs).toBeNull();
    expect(resolved.missing).toContain('not verified as reverted');
  });

  it('has no monitoring stage when nothing was seen to recover', async () => {
    const { model } = await scenario(tempDir(), 'aborted-by-signal');
    expect(statusStages(model).find((s) => s.stage === 'monitoring')).toMatchObject({ atMs: null });
  });

  it('takes the time of a posted update over the observed fact, and ignores failed or early ones', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const applied = model.faults[0]!.appliedAtMs!;
    const stages = statusStages({
      ...model,
      notifications: [
        { atMs: applied - 1, status: 'identified', message: 'before the fault', ok: true },
        { atMs: applied + 500, status: 'identified', message: 'not delivered', ok: false },
        { atMs: applied + 900, status: 'identified', message: 'We know the cause', ok: true },
      ],
    });
    expect(stages.find((s) => s.stage === 'identified')).toMatchObject({ atMs: applied + 900, basis: { kind: 'update', message: 'We know the cause' } });
  });

  it('is empty when no fault was applied', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    expect(statusStages({ ...model, faults: [] })).toEqual([]);
  });
});
