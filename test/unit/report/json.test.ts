import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION, renderJson } from '../../../src/report/json.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

describe('renderJson', () => {
  it('gives machines the verdict, objectives, steps and faults in milliseconds', async () => {
    const text = renderJson((await scenario(tempDir(), 'objective-missed')).model);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 1,');
    const report = JSON.parse(text) as Record<string, any>;
    expect(report).toMatchObject({ schemaVersion: REPORT_SCHEMA_VERSION, verdict: 'failed', exitCode: 1, finished: true });
    expect(report.objectives[1]).toEqual({
      scope: 'step',
      step: 1,
      name: 'Shop answers from region b',
      targetMs: 30_000,
      measuredMs: 32_251,
      resolutionMs: 250,
      met: false,
      missedByMs: 2251,
      note: null,
    });
    expect(report.steps[1]).toMatchObject({ status: 'passed', wait: { samples: 130, recoveryMs: 32_251, resolutionMs: 250 } });
    expect(report.faults[0]).toMatchObject({ ref: 'region-a', appliedAtMs: 156.4, reverted: true, verified: true });
  });

  it('keeps an incomplete drill explicit: no exit code, faults not reverted', async () => {
    const report = JSON.parse(renderJson((await scenario(tempDir(), 'cut-off')).model)) as Record<string, any>;
    expect(report).toMatchObject({ verdict: 'incomplete', exitCode: null, finished: false });
    expect(report.faults[0]).toMatchObject({ reverted: false, verified: false, revertedAtMs: null });
  });

  it('writes times without float noise', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    model.durationMs = 0.1 + 0.2;
    expect(JSON.parse(renderJson(model)).durationMs).toBe(0.3);
  });
});
