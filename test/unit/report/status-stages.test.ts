import { describe, expect, it } from 'vitest';
import { statusStages } from '../../../src/report/status-stages.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { join } from 'node:path';
import { readJournal } from '../../../src/journal/reader.js';
import { renderStatusPage } from '../../../src/report/markdown-status.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { CROWDED_NAMES } from './support/crowded-drill.js';
import { recordCrowdedRunDir, scenario } from './support/scenario.js';

const tempDir = useTempDir();

describe('the status-page stages', () => {
  it('places each stage at the fact it stands on, for a drill that recovered', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const stages = statusStages(model);
    const [investigating, identified, monitoring, resolved] = ['investigating', 'identified', 'monitoring', 'resolved'].map((name) =>
      stages.find((s) => s.stage === name),
    );
    const fault = model.faults[0]!;
    const shop = model.steps[1]!.wait!;
    // Detection is when the failing check answered, not when it began.
    expect(shop.firstFailure!.answeredAtMs).toBeGreaterThan(shop.firstFailure!.atMs);
    expect(investigating).toMatchObject({
      stage: 'investigating',
      atMs: shop.firstFailure!.answeredAtMs,
      basis: { kind: 'detected', check: 'Shop answers from region b' },
    });
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
    expect(stages.find((s) => s.stage === 'identified')).toMatchObject({
      atMs: applied + 900,
      basis: { kind: 'update', message: 'We know the cause' },
    });
  });

  it('lists the stages reached in time order, then those not reached', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    expect(statusStages(model).map((s) => [s.stage, s.atMs === null])).toEqual([
      ['investigating', false],
      ['monitoring', false],
      ['resolved', false],
      ['identified', true],
    ]);
  });

  it('puts monitoring before identified when a check held again before the recovery action, and says what that order means', async () => {
    const dir = recordCrowdedRunDir(tempDir());
    const model = buildDrillModel(await readJournal(join(dir, 'journal.jsonl')));
    const stages = statusStages(model);
    expect(stages.map((s) => s.stage)).toEqual(['investigating', 'monitoring', 'identified', 'resolved']);
    const times = stages.map((s) => s.atMs!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(stages[1]).toMatchObject({ basis: { kind: 'held', check: CROWDED_NAMES.gateway } });
    expect(stages[2]).toMatchObject({ basis: { kind: 'recovery-action', step: CROWDED_NAMES.promote } });
    expect(times[2]! - times[1]!).toBeLessThan(100);
    const markdown = renderStatusPage(model, stages);
    expect(markdown).toContain('listed in the order it was reached');
    expect(markdown).toContain(
      'This is not the usual order (investigating → identified → monitoring → resolved): monitoring (the service was back and being watched) came before identified (the cause was identified).',
    );
    const { model: usual } = await scenario(tempDir(), 'passed');
    expect(renderStatusPage(usual, statusStages(usual))).not.toContain('not the usual order');
  });

  it('is empty when no fault was applied', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    expect(statusStages({ ...model, faults: [] })).toEqual([]);
  });
});
