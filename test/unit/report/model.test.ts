import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { DRILL_RTO_MS, SHOP_RTO_MS } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

describe('buildDrillModel', () => {
  it('folds a passed drill: verdict, times, recovery per wait step, objectives', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    expect(model).toMatchObject({ verdict: 'passed', exitCode: 0, finished: true, project: 'demo', reason: '3 of 3 objectives met' });
    expect(model.startedAt).toBe('2026-05-12T09:30:00.000Z');
    const [inject, shop, sessions] = model.steps;
    expect(inject).toMatchObject({ status: 'passed', faultRef: 'region-a', durationMs: 119.2 });
    // Fault applied at +156.4ms; the 13th sample (12 failures, every 250ms from +157.4ms) began at +3157.4ms.
    expect(shop?.wait).toMatchObject({ met: true, samples: 13, recoveryMs: 3001, resolutionMs: 250, heldFromAtMs: 3157.4 });
    expect(shop?.wait?.lastFailure).toMatchObject({ summary: 'connection refused', sample: 12, atMs: 2907.4 });
    expect(sessions?.wait).toMatchObject({ met: true, samples: 1, lastFailure: null });
    expect(model.objectives.map((o) => [o.scope, o.name, o.met])).toEqual([
      ['drill', 'overall recovery time', true],
      ['step', 'Shop answers from region b', true],
      ['step', 'Sessions survive', true],
    ]);
    expect(model.objectives[0]?.targetMs).toBe(DRILL_RTO_MS);
    expect(model.faults).toHaveLength(1);
    expect(model.faults[0]).toMatchObject({ ref: 'region-a', state: 'applied', appliedAtMs: 156.4, injectMs: 118.4 });
    expect(model.faults[0]?.revert).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(model.steadyState.before.map((c) => c.ok)).toEqual([true]);
    expect(model.steadyState.after.map((c) => c.ok)).toEqual([true]);
    expect(model.restore[0]?.run).toEqual({ ok: true, summary: 'exit 0', output: 'OK' });
  });

  it('keeps the measured figure of a missed objective, unrounded', async () => {
    const { model } = await scenario(tempDir(), 'objective-missed');
    expect(model).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const shop = model.objectives.find((o) => o.index === 1);
    expect(shop).toMatchObject({ met: false, targetMs: SHOP_RTO_MS, measuredMs: 32_251, resolutionMs: 250, evaluated: true });
  });

  it('records why a drill was aborted and what did not run', async () => {
    const { model } = await scenario(tempDir(), 'aborted-by-signal');
    expect(model).toMatchObject({ verdict: 'aborted', exitCode: 4 });
    expect(model.abort).toMatchObject({ cause: 'signal', reason: 'SIGINT received (Ctrl-C)' });
    expect(model.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'not-run']);
    expect(model.steps[1]?.wait).toMatchObject({ met: false, samples: 8, recoveryMs: null });
    expect(model.objectives.every((o) => o.met === false && o.measuredMs === null && o.note)).toBe(true);
    expect(model.faults[0]?.revert?.verified).toBe(true);
  });

  it('records an unverified revert with its manual commands and the faults left', async () => {
    const { model } = await scenario(tempDir(), 'rollback-incomplete');
    expect(model).toMatchObject({ verdict: 'rollback-incomplete', exitCode: 5 });
    expect(model.faults[0]?.revert).toMatchObject({ verified: false, problems: ['demo-redis-a-1 is exited (exit code 1) after start'] });
    expect(model.faults[0]?.revert?.manual[1]).toBe('docker logs --tail 50 demo-redis-a-1');
    expect(model.remainingFaults?.refs).toEqual(['region-a']);
  });

  it('makes a journal that ends mid-drill an incomplete drill, not a guess', async () => {
    const { model } = await scenario(tempDir(), 'cut-off');
    expect(model).toMatchObject({ verdict: 'incomplete', exitCode: null, finished: false, reason: null });
    expect(model.steps.map((s) => s.status)).toEqual(['passed', 'interrupted', 'not-run']);
    expect(model.steps[1]?.wait).toMatchObject({ met: null, samples: 5 });
    expect(model.faults[0]).toMatchObject({ state: 'applied', revert: null });
    // Declared objectives are still listed, never evaluated.
    expect(model.objectives.map((o) => [o.name, o.met, o.evaluated])).toEqual([
      ['overall recovery time', null, false],
      ['Shop answers from region b', null, false],
      ['Sessions survive', null, false],
    ]);
    // Up to the last entry: the 5th sample, begun at +1157.4ms, answered 3ms later.
    expect(model.durationMs).toBe(1160.4);
  });

  it('ignores event types it does not know', async () => {
    const { entries, model } = await scenario(tempDir(), 'passed');
    const unknown = { ...entries[4], type: 'probe.future-kind', data: { anything: [1, 2] } } as unknown as JournalEntry;
    const withUnknown = buildDrillModel([...entries.slice(0, 5), unknown, ...entries.slice(5)]);
    expect({ ...withUnknown, journal: null }).toEqual({ ...model, journal: null });
    expect(withUnknown.journal.entries).toBe(model.journal.entries + 1);
  });

  it('says why a declared objective has no measurement when the drill stopped before it', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const stoppedEarly = [...entries.slice(0, 4), { ...entries.at(-1), seq: 4 } as JournalEntry];
    const model = buildDrillModel(stoppedEarly);
    expect(model.finished).toBe(true);
    expect(model.objectives.map((o) => [o.evaluated, o.note])).toEqual([
      [false, 'the drill stopped before measuring it'],
      [false, 'the drill stopped before measuring it'],
      [false, 'the drill stopped before measuring it'],
    ]);
  });

  it('copes with an empty journal', () => {
    const model = buildDrillModel([]);
    expect(model).toMatchObject({ verdict: 'incomplete', playbook: null, steps: [], durationMs: 0 });
  });

  it('reads the polling interval the journal records, and copes with journals without it', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    expect(buildDrillModel(entries).steps[1]?.wait?.everyMs).toBe(250);
    const withoutEvery = entries.map((e) => {
      if (e.type !== 'wait.finished') return e;
      const { everyMs: _dropped, ...data } = e.data;
      return { ...e, data };
    }) as JournalEntry[];
    expect(buildDrillModel(withoutEvery).steps[1]?.wait?.everyMs).toBeNull();
  });
});
