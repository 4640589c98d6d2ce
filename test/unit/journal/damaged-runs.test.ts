import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/exit-codes.js';
import * as runJournals from '../../../src/journal/run-journals.js';
import { captureIo } from '../history/support/capture-io.js';
import { PROJECT, recordRun } from '../history/support/scripted-runs.js';
import { recordJournal } from './support/drill-script.js';
import { playRegionLossDrill } from './support/region-loss-drill.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir();

/** The runs that `run` refuses to start over and `recover` works on (named runsWithPendingFaults before). */
type RunsToRecover = (runsDir: string, project: string) => Promise<{ runId: string; pending: { ref: string }[]; unreadable?: unknown[] }[]>;
const runsToRecover = ((runJournals as Record<string, unknown>).runsToRecover ??
  (runJournals as Record<string, unknown>).runsWithPendingFaults) as RunsToRecover;

/** A run killed while its fault was applied (the journal ends there), under `runsDir`. */
function killedRun(runsDir: string, name = '20261120T090000Z-region-a-loss-0a0a0a'): { dir: string; path: string; lines: string[] } {
  const dir = join(runsDir, name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'journal.jsonl');
  recordJournal(path, (d) => playRegionLossDrill(d, 'cut-off'));
  return { dir, path, lines: readFileSync(path, 'utf8').trimEnd().split('\n') };
}

function projectOf(lines: string[]): string {
  return (JSON.parse(lines[0]!) as { data: { project: string } }).data.project;
}

async function cli(args: string[]) {
  const captured = captureIo();
  const code = await main(args, captured.io);
  return { code, out: captured.stdout(), err: captured.stderr() };
}

describe('a run whose journal cannot be read whole may have left a fault', () => {
  it('one garbage line does not hide the fault it recorded: the run still needs recovery, and says why', async () => {
    const runsDir = tempDir();
    const { path, lines } = killedRun(runsDir);
    const project = projectOf(lines);
    expect((await runsToRecover(runsDir, project)).map((run) => run.pending.map((r) => r.ref))).toEqual([['region-a']]);

    lines.splice(4, 0, 'garbage \u001b[31m not json');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const runs = await runsToRecover(runsDir, project);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.pending.map((r) => r.ref)).toEqual(['region-a']);
    expect(runs[0]!.unreadable).toEqual([{ file: 'journal.jsonl', line: 5, problem: 'is not valid JSON' }]);
  });

  it('a fault record that cannot be read is damage, and the records that can be read are still found', async () => {
    const runsDir = tempDir();
    const { path, lines } = killedRun(runsDir);
    const injecting = lines.findIndex((line) => line.includes('"type":"fault.injecting"'));
    // The same record journaled twice (as a retried step would): one copy damaged, one intact.
    lines.splice(
      injecting + 1,
      0,
      lines[injecting]!.replace('"targets":[', '"targets":{"x":[').replace(/\],"helper|\]\},"plan"/, (m) => `]}${m.slice(1)}`),
    );
    writeFileSync(path, `${lines.join('\n')}\n`);
    const [run] = await runsToRecover(runsDir, projectOf(lines));
    expect(run?.pending.map((r) => r.ref)).toEqual(['region-a']);
    expect(run?.unreadable).toHaveLength(1);
  });

  it('a damaged start record leaves the project unknown: the run is kept for every project, not passed over', async () => {
    const runsDir = tempDir();
    const { path, lines } = killedRun(runsDir);
    lines[0] = lines[0]!.replace('"data":{', '"data":{"steps":7,"x":{');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const runs = await runsToRecover(runsDir, 'any-project');
    expect(runs.map((run) => run.pending.map((r) => r.ref))).toEqual([['region-a']]);
  });

  it('a run of another project, a directory without a journal and an empty journal are passed over', async () => {
    const runsDir = tempDir();
    killedRun(runsDir);
    recordRun(runsDir, { at: '2026-11-21T09:00:00Z', recoveryMs: 100 });
    mkdirSync(join(runsDir, '20261122T090000Z-x-0b0b0b'));
    mkdirSync(join(runsDir, '20261123T090000Z-x-0c0c0c'));
    writeFileSync(join(runsDir, '20261123T090000Z-x-0c0c0c', 'journal.jsonl'), '');
    writeFileSync(join(runsDir, 'notes.txt'), 'a file among the runs');
    expect(await runsToRecover(runsDir, PROJECT)).toEqual([]);
  });

  it('a named pipe in place of a journal is reported as unreadable, without blocking', async () => {
    const runsDir = tempDir();
    const dir = join(runsDir, '20261120T090000Z-x-0d0d0d');
    mkdirSync(dir);
    execFileSync('mkfifo', [join(dir, 'journal.jsonl')]);
    const runs = await runsToRecover(runsDir, PROJECT);
    expect(runs).toHaveLength(1);
    expect(JSON.stringify(runs[0]!.unreadable)).toContain('a named pipe');
  }, 5_000);
});

describe('recover --runs-dir', () => {
  it('pointing at a file is a usage error that says so', async () => {
    const file = join(tempDir(), 'runs');
    writeFileSync(file, 'not a directory');
    const { code, out, err } = await cli(['recover', '--project', PROJECT, '--runs-dir', file]);
    expect(out).not.toContain('nothing to recover');
    expect(err).toContain(`the runs directory ${file} is not a directory`);
    expect(code).toBe(ExitCode.Usage);
  });
});

describe('history with damaged runs', () => {
  it('lists every other run as usual, names the damaged ones with their reason, and --trend prints no NaN', async () => {
    const runsDir = tempDir();
    const good = [
      recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 }),
      recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: 3000 }),
    ];
    const damaged = [
      recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: 1000 }),
      recordRun(runsDir, { at: '2026-11-20T12:00:00Z', recoveryMs: 1000 }),
      recordRun(runsDir, { at: '2026-11-20T13:00:00Z', recoveryMs: 1000 }),
    ];
    const rewrite = (runId: string, edit: (lines: string[]) => void) => {
      const path = join(runsDir, runId, 'journal.jsonl');
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      edit(lines);
      writeFileSync(path, `${lines.join('\n')}\n`);
    };
    const setData = (line: string, data: unknown) => JSON.stringify({ ...JSON.parse(line), data });
    rewrite(damaged[0]!, (lines) => (lines[0] = setData(lines[0]!, {})));
    rewrite(damaged[1]!, (lines) => {
      const i = lines.findIndex((l) => l.includes('"objective.evaluated"'));
      lines[i] = setData(lines[i]!, []);
    });
    rewrite(damaged[2]!, (lines) => {
      const i = lines.findIndex((l) => l.includes('"objective.evaluated"'));
      lines[i] = setData(lines[i]!, { scope: 'step', index: 1 });
    });

    for (const args of [[], ['--trend'], ['--json']]) {
      const { code, out } = await cli(['history', '--runs-dir', runsDir, ...args]);
      expect(code, out).toBe(ExitCode.Passed);
      expect(out).not.toMatch(/undefined|NaN/);
      if (args.length === 0) {
        for (const runId of damaged)
          expect(out).toMatch(new RegExp(`unreadable .*${runId}: journal\\.jsonl:\\d+: this journal line has data that does not fit`));
        expect(out).toContain('5 runs in');
        expect(out).toContain('3 of them unreadable');
      }
      if (args[0] === '--trend') expect(out).toContain('2 of 2 runs measured');
      if (args[0] === '--json')
        expect(
          (JSON.parse(out) as { runs: { runId: string; readable: boolean }[] }).runs.filter((r) => r.readable).map((r) => r.runId),
        ).toEqual(good);
    }
  });

  it('--html leaves no temporary file behind when the page cannot be renamed into place', async () => {
    const runsDir = tempDir();
    recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
    const out = tempDir();
    const page = join(out, 'trends.html');
    mkdirSync(page); // a directory where the page should go: the rename fails
    const { code, err } = await cli(['history', '--runs-dir', runsDir, '--trend', '--html', page]);
    expect(code).toBe(ExitCode.Usage);
    expect(err).toContain(`cannot write ${page}`);
    expect(readdirSync(out)).toEqual(['trends.html']);
  });
});
