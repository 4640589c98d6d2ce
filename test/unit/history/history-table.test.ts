import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { renderHistoryTable } from '../../../src/history/history-table.js';
import type { ObjectiveSummary, RunSummary } from '../../../src/history/run-index.js';

const drillWide = (name: string, targetMs: number, measuredMs: number, met: boolean): ObjectiveSummary => ({
  scope: 'drill',
  index: null,
  name,
  targetMs,
  measuredMs,
  resolutionMs: 250,
  met,
});

describe('renderHistoryTable', () => {
  it('labels each drill-wide objective by its own name, so two of them can be told apart', () => {
    const run: RunSummary = {
      readable: true,
      runId: '20261120T090000Z-app-crash-aaaaaa',
      dir: '/runs/20261120T090000Z-app-crash-aaaaaa',
      playbook: { name: 'app-crash', title: 'App crash' },
      project: 'shop',
      startedAt: '2026-11-20T09:00:00.000Z',
      verdict: 'failed',
      exitCode: 1,
      reason: '1 of 2 objectives missed',
      finished: true,
      durationMs: 5000,
      objectives: [drillWide('overall recovery time', 45_000, 3005, true), drillWide('time to first contact', 1000, 2500, false)],
      regression: null,
    };
    const row = renderHistoryTable([run], paintFor(false), false).split('\n')[1];
    expect(row).toBe(
      '2026-11-20 09:00:00  app-crash  failed   5.000s    overall recovery time 3.005s/45s met  time to first contact 2.500s/1s missed',
    );
  });
});
