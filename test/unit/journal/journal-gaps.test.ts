import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRunState } from '../../../src/journal/run-journals.js';
import { useTempDir } from './support/temp-dir.js';

/**
 * A line deleted outright leaves no garbage to find: only the sequence and the hash chain show
 * it. The tolerant scan that decides whether a run left a fault must see it, because the line
 * may have been the fault's record — and a run whose journal has such a gap is never clean.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/journals');
const tempDir = useTempDir();

function runOf(journal: string): string {
  const dir = join(tempDir(), '20261120T090000Z-region-a-loss-0a0a0a');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'journal.jsonl'), journal);
  return dir;
}

function fixtureRun(name: string): string {
  const dir = join(tempDir(), '20261120T090000Z-region-a-loss-0a0a0a');
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURES, name, 'journal.jsonl'), join(dir, 'journal.jsonl'));
  return dir;
}

describe('gaps in a journal, kept as fixtures', () => {
  it('the fault’s record deleted outright: damage on the line after the gap, so the run is not clean', async () => {
    const state = await readRunState(fixtureRun('gaps/fault-record-deleted'));
    expect(state?.pending).toEqual([]);
    expect(state?.unreadable).toEqual([{ file: 'journal.jsonl', line: 7, problem: 'jumps from seq 5 to 7: a line is missing before it' }]);
  });

  it('a line altered in place (still an event): the next line does not follow it', async () => {
    const state = await readRunState(fixtureRun('gaps/probe-line-altered'));
    expect(state?.pending.map((r) => r.ref)).toEqual(['region-a']);
    expect(state?.unreadable).toEqual([
      {
        file: 'journal.jsonl',
        line: 13,
        problem: `does not follow line 12: its "prev" does not match that line's SHA-256, so a line between them is missing or one of them was altered`,
      },
    ]);
  });

  it('a last line cut off mid-write is the mark of a crash, not damage', async () => {
    const state = await readRunState(fixtureRun('gaps/last-line-cut-off'));
    expect(state).toMatchObject({ pending: [{ ref: 'region-a' }], unreadable: [] });
  });

  it('lines missing before the first: the journal does not start at seq 0', async () => {
    const lines = readFileSync(join(FIXTURES, 'region-a-loss-cut-off/journal.jsonl'), 'utf8').split('\n');
    const state = await readRunState(runOf(lines.slice(2).join('\n')));
    expect(state?.unreadable).toEqual([
      { file: 'journal.jsonl', line: 1, problem: 'starts at seq 2, not 0: the lines before it are missing' },
    ]);
  });

  it('a repeated line goes back in the sequence', async () => {
    const lines = readFileSync(join(FIXTURES, 'region-a-loss-cut-off/journal.jsonl'), 'utf8').split('\n');
    lines.splice(4, 0, lines[3]!);
    const state = await readRunState(runOf(lines.join('\n')));
    expect(state?.unreadable).toEqual([
      { file: 'journal.jsonl', line: 5, problem: 'goes back from seq 3 to 3: a line is repeated or out of its place here' },
    ]);
  });
});

describe('deleting any one line', () => {
  const bases = ['region-a-loss-cut-off', 'region-a-loss-passed', 'region-a-loss-stopped', 'ledger-failover-crowded'].map((name) => ({
    name,
    lines: readFileSync(join(FIXTURES, name, 'journal.jsonl'), 'utf8')
      .trimEnd()
      .split('\n'),
  }));

  it('but the last is reported as damage; a fault record is never lost without damage said', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases), fc.nat(), async (base, pick) => {
        const at = pick % base.lines.length;
        const lines = base.lines.filter((_, i) => i !== at);
        const state = await readRunState(runOf(`${lines.join('\n')}\n`));
        const isLast = at === base.lines.length - 1;
        if (!isLast) expect(state?.unreadable.length, `line ${at + 1} of ${base.name} deleted`).toBeGreaterThan(0);
        // The fixture killed with its fault applied: the fault is pending, or the run is not clean.
        if (base.name === 'region-a-loss-cut-off') expect(state!.pending.length + state!.unreadable.length).toBeGreaterThan(0);
      }),
      { numRuns: 150, seed: 4 },
    );
  });
});
