import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns } from '../../../src/history/run-index.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { PLAYBOOK, STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();

describe('listRuns', () => {
  it('summarises every run from its journal, oldest first', async () => {
    const runsDir = tempDir();
    const late = recordRun(runsDir, { at: '2026-11-21T10:00:00Z', recoveryMs: 6000 });
    const early = recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
    const runs = await listRuns(runsDir);
    expect(runs.map((run) => run.runId)).toEqual([early, late]);
    expect(runs[0]).toMatchObject({
      readable: true,
      dir: join(runsDir, early),
      playbook: { name: PLAYBOOK, title: 'App crash' },
      project: 'shop',
      startedAt: '2026-11-20T09:00:00.000Z',
      verdict: 'passed',
      exitCode: 0,
      finished: true,
      regression: null,
      objectives: [
        { scope: 'drill', index: null, name: 'overall recovery time', targetMs: 10_000, measuredMs: 2040, resolutionMs: 250, met: true },
        { scope: 'step', index: 1, name: STEP_NAME, targetMs: 5000, measuredMs: 2000, resolutionMs: 250, met: true },
      ],
    });
    expect(runs[1]).toMatchObject({ verdict: 'failed', exitCode: 1, objectives: [{ met: true }, { measuredMs: 6000, met: false }] });
  });

  it('lists an interrupted run as incomplete and an aborted one as aborted', async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: null, outcome: 'cut-off' });
    recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: null, outcome: 'aborted' });
    const runs = await listRuns(runsDir);
    expect(runs.map((run) => run.readable && [run.verdict, run.finished, run.exitCode])).toEqual([
      ['incomplete', false, null],
      ['aborted', true, 4],
    ]);
  });

  it('lists a damaged or missing journal as unreadable, with the reason, and goes on', async () => {
    const runsDir = tempDir();
    const good = recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
    const damaged = recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: 2000 });
    appendFileSync(join(runsDir, damaged, 'journal.jsonl'), 'not json\n{"seq": 99}\n');
    mkdirSync(join(runsDir, '20261120T110000Z-app-crash-0c0c0c'));
    writeFileSync(join(runsDir, 'notes.txt'), 'not a run directory');
    const empty = join(runsDir, '20261120T120000Z-other-0d0d0d');
    mkdirSync(empty);
    writeFileSync(join(empty, 'journal.jsonl'), '');

    const runs = await listRuns(runsDir);
    expect(runs.map((run) => [run.runId, run.readable])).toEqual([
      [good, true],
      [damaged, false],
      ['20261120T110000Z-app-crash-0c0c0c', false],
      ['20261120T120000Z-other-0d0d0d', false],
    ]);
    expect(runs[1]).toMatchObject({
      reason: expect.stringMatching(/^journal\.jsonl:\d+: this journal line is not valid JSON/),
      playbookName: PLAYBOOK,
      startedAt: '2026-11-20T10:00:00Z',
    });
    expect(runs[2]).toMatchObject({ reason: 'it has no journal.jsonl', playbookName: PLAYBOOK });
    expect(runs[3]).toMatchObject({ reason: expect.stringMatching(/^the journal journal\.jsonl is empty/), playbookName: 'other' });
  });

  it('keeps only runs of one playbook, and only the last n', async () => {
    const runsDir = tempDir();
    const a1 = recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
    recordRun(runsDir, { at: '2026-11-20T09:30:00Z', recoveryMs: 2000, playbook: 'db-failover' });
    const a2 = recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: 2000 });
    const a3 = recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: 2000 });
    recordRun(runsDir, { at: '2026-11-20T12:00:00Z', recoveryMs: 2000, playbook: 'db-failover' });
    expect((await listRuns(runsDir, { playbook: PLAYBOOK })).map((run) => run.runId)).toEqual([a1, a2, a3]);
    expect((await listRuns(runsDir, { playbook: PLAYBOOK, limit: 2 })).map((run) => run.runId)).toEqual([a2, a3]);
    expect(await listRuns(runsDir, { playbook: 'no-such-playbook' })).toEqual([]);
  });

  it('has no runs when the runs directory does not exist yet', async () => {
    expect(await listRuns(join(tempDir(), 'never-created'))).toEqual([]);
  });
});
