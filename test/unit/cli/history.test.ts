import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/exit-codes.js';
import type { RunListing } from '../../../src/history/run-index.js';
import type { PlaybookTrend } from '../../../src/history/trend.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { captureIo } from '../history/support/capture-io.js';
import { recordRun } from '../history/support/scripted-runs.js';

const tempDir = useTempDir();

/** Four runs of app-crash (one aborted, one slow, one with a damaged journal) and one of db-failover. */
function runsDir(): { dir: string; damaged: string } {
  const dir = tempDir();
  recordRun(dir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
  recordRun(dir, { at: '2026-11-20T10:00:00Z', recoveryMs: null, outcome: 'aborted' });
  recordRun(dir, { at: '2026-11-20T11:00:00Z', recoveryMs: 500, playbook: 'db-failover' });
  recordRun(dir, { at: '2026-11-20T12:00:00Z', recoveryMs: 6000 });
  const damaged = recordRun(dir, { at: '2026-11-20T13:00:00Z', recoveryMs: 2000 });
  appendFileSync(join(dir, damaged, 'journal.jsonl'), '{"seq": "x"}\n');
  return { dir, damaged };
}

async function history(args: string[], opts: { color?: boolean } = {}) {
  const captured = captureIo(opts);
  const code = await main(['history', ...args], captured.io);
  return { code, out: captured.stdout(), err: captured.stderr() };
}

describe('firedrill history', () => {
  it('prints a table of runs, oldest first, with met and missed in words when there is no colour', async () => {
    const { dir, damaged } = runsDir();
    const { code, out } = await history(['--runs-dir', dir]);
    expect(code).toBe(ExitCode.Passed);
    expect(out.split('\n')).toEqual([
      'when (UTC)           playbook     verdict     duration  recovery times (measured / target)',
      '2026-11-20 09:00:00  app-crash    passed      2.349s    overall recovery time 2.040s/10s met  “app serves again” 2.000s/5s met',
      '2026-11-20 10:00:00  app-crash    aborted     20.350s   overall recovery time —/10s not measured  “app serves again” —/5s not measured',
      '2026-11-20 11:00:00  db-failover  passed      0.849s    overall recovery time 0.540s/10s met  “app serves again” 0.500s/5s met',
      '2026-11-20 12:00:00  app-crash    failed      6.349s    overall recovery time 6.040s/10s met  “app serves again” 6.000s/5s missed',
      `2026-11-20 13:00:00  app-crash    unreadable  —         ${damaged}: journal.jsonl:15: this journal line has no valid "seq" (a non-negative integer) — the journal is damaged`,
      `5 runs in ${dir}, 1 of them unreadable (the reason is on the run's line)`,
      '',
    ]);
    expect(out).not.toContain('\u001b[');
  });

  it('marks met and missed with ✔ and ✘ in colour', async () => {
    const { dir } = runsDir();
    const { out } = await history(['--runs-dir', dir, '--playbook', 'app-crash', '--limit', '2'], { color: true });
    expect(out).toContain('\u001b[');
    const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toContain('overall recovery time 6.040s/10s ✔  “app serves again” 6.000s/5s ✘');
    expect(plain.split('\n').filter((line) => line.startsWith('2026-'))).toHaveLength(2);
    expect(plain).toContain('(the last 2 at most)');
  });

  it('prints the runs as JSON, filtered by playbook', async () => {
    const { dir } = runsDir();
    const { code, out } = await history(['--runs-dir', dir, '--playbook', 'db-failover', '--json']);
    expect(code).toBe(ExitCode.Passed);
    const doc = JSON.parse(out) as { runsDir: string; runs: RunListing[] };
    expect(doc.runsDir).toBe(dir);
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]).toMatchObject({
      readable: true,
      playbook: { name: 'db-failover' },
      verdict: 'passed',
      objectives: [{ measuredMs: 540 }, { measuredMs: 500 }],
    });
  });

  it('shows the trend per playbook and objective, and writes the HTML page', async () => {
    const { dir } = runsDir();
    const html = join(tempDir(), 'trend.html');
    const { code, out } = await history(['--runs-dir', dir, '--trend', '--html', html]);
    expect(code).toBe(ExitCode.Passed);
    expect(out).toContain('app-crash — App crash: 3 runs, 2026-11-20 09:00:00 to 2026-11-20 12:00:00 UTC');
    expect(out).toContain('“app serves again”     ▁·█  min 2.000s  median 4.000s  last 6.000s  target 5s  2 of 3 runs measured, 2 missed');
    expect(out).toContain(`wrote ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page.match(/<svg /g)).toHaveLength(4);
    expect(page).toContain('Recovery time of “app serves again”');
  });

  it('puts the trends in the JSON document too', async () => {
    const { dir } = runsDir();
    const { out } = await history(['--runs-dir', dir, '--trend', '--json']);
    const doc = JSON.parse(out) as { trends: PlaybookTrend[] };
    expect(doc.trends.map((t) => [t.playbook, t.runs])).toEqual([
      ['app-crash', 3],
      ['db-failover', 1],
    ]);
  });

  it('says where runs would be when there are none, and exits 0', async () => {
    const dir = join(tempDir(), 'runs');
    expect(await history(['--runs-dir', dir])).toEqual({
      code: ExitCode.Passed,
      out: `no runs in ${dir} yet — \`firedrill run <playbook>\` keeps each run there; give --runs-dir if yours are kept elsewhere\n`,
      err: '',
    });
    const { out } = await history(['--runs-dir', runsDir().dir, '--playbook', 'nope']);
    expect(out).toMatch(/^no runs of playbook nope in /);
  });

  it('refuses a limit that is not a whole number of at least 1', async () => {
    const { code, err } = await history(['--limit', '0']);
    expect(code).toBe(ExitCode.Usage);
    expect(err).toContain('give a whole number of 1 or more');
  });
});

describe('firedrill run --max-regression', () => {
  it('refuses a percentage that is not one, before anything is read or touched', async () => {
    const captured = captureIo();
    const code = await main(['run', 'no-such-playbook.yaml', '--max-regression', 'ten'], captured.io);
    expect(code).toBe(ExitCode.Usage);
    expect(captured.stderr()).toContain('give a percentage of 0 or more, e.g. 20 or 20%.');
  });
});
