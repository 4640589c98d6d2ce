import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../../src/journal/verify.js';
import { recordJournal } from './support/drill-script.js';
import { playRegionLossDrill } from './support/region-loss-drill.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir();
let path: string;
let lines: string[];

/** 1-based line number of the first line matching. */
function lineOf(pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line));
  if (index === -1) throw new Error(`no line matches ${pattern}`);
  return index + 1;
}

function rewrite(edit: (lines: string[]) => string[]): void {
  writeFileSync(path, `${edit([...lines]).join('\n')}\n`);
}

beforeEach(() => {
  path = join(tempDir(), 'journal.jsonl');
  recordJournal(path, (d) => playRegionLossDrill(d, 'passed'));
  lines = readFileSync(path, 'utf8').trimEnd().split('\n');
});

describe('verifyJournal', () => {
  it('accepts the journal as written', async () => {
    const result = await verifyJournal(path);
    expect(result).toMatchObject({ ok: true, entries: lines.length, problems: [], truncated: false });
    expect(lines.length).toBeGreaterThan(40);
  });

  it('locates a one-character edit that keeps the line valid JSON', async () => {
    const target = lineOf(/"type":"wait.finished".*"recoveryMs":3/);
    rewrite((all) => {
      all[target - 1] = (all[target - 1] ?? '').replace('"recoveryMs":3', '"recoveryMs":2');
      return all;
    });
    const result = await verifyJournal(path);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { line: target, kind: 'chain', message: expect.stringMatching(new RegExp(`^line ${target} was altered after it was written`)) },
    ]);
  });

  it('locates an edit that breaks the JSON', async () => {
    rewrite((all) => {
      all[9] = (all[9] ?? '').replace('{"seq"', '["seq"');
      return all;
    });
    const result = await verifyJournal(path);
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([[10, 'format']]);
    expect(result.entries).toBe(lines.length - 1);
  });

  it('locates an edited prev on the line that carries it', async () => {
    rewrite((all) => {
      all[14] = (all[14] ?? '').replace(/"prev":"(.)/, (_m, c: string) => `"prev":"${c === 'a' ? 'b' : 'a'}`);
      return all;
    });
    const result = await verifyJournal(path);
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([[15, 'chain']]);
  });

  it('locates an edited seq', async () => {
    rewrite((all) => {
      all[19] = (all[19] ?? '').replace('"seq":19,', '"seq":91,');
      return all;
    });
    const result = await verifyJournal(path);
    expect(result.problems[0]).toMatchObject({ line: 20, kind: 'sequence' });
    expect(result.problems.every((p) => p.line === 20)).toBe(true);
  });

  it('locates a deleted line where it is missing', async () => {
    rewrite((all) => all.filter((_line, i) => i !== 11));
    const result = await verifyJournal(path);
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([
      [12, 'sequence'],
      [12, 'chain'],
    ]);
    expect(result.problems[0]?.message).toMatch(/seq 12 where 11 was expected: a line is missing before this one/);
  });

  it('detects a deleted first line', async () => {
    rewrite((all) => all.slice(1));
    const result = await verifyJournal(path);
    expect(result.problems[0]).toMatchObject({ line: 1 });
    expect(result.problems.map((p) => p.kind).sort()).toEqual(['chain', 'sequence']);
  });

  it('locates two swapped lines at the first of them', async () => {
    rewrite((all) => {
      [all[20], all[21]] = [all[21] ?? '', all[20] ?? ''];
      return all;
    });
    const result = await verifyJournal(path);
    expect(result.problems[0]?.line).toBe(21);
    expect(result.problems.every((p) => p.line === 21 || p.line === 22)).toBe(true);
    expect(result.problems.some((p) => p.kind === 'chain' && /out of their original order/.test(p.message))).toBe(true);
  });

  it('detects an inserted copy of a line', async () => {
    rewrite((all) => [...all.slice(0, 31), all[30] ?? '', ...all.slice(31)]);
    const result = await verifyJournal(path);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ line: 32, kind: 'sequence' });
    expect(result.problems[0]?.message).toMatch(/inserted, repeated or moved/);
  });

  it('reports a line cut off mid-write as truncation, not tampering', async () => {
    const last = lines[lines.length - 1] ?? '';
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n${last.slice(0, 37)}`);
    const result = await verifyJournal(path);
    expect(result).toMatchObject({ ok: false, truncated: true, entries: lines.length - 1 });
    expect(result.problems).toEqual([
      { line: lines.length, kind: 'truncated', message: expect.stringMatching(/cut off while it was being written.*not altered/) },
    ]);
  });

  it('treats a complete last line without its newline as truncated but intact', async () => {
    writeFileSync(path, lines.join('\n'));
    const result = await verifyJournal(path);
    expect(result.entries).toBe(lines.length);
    expect(result.problems.map((p) => p.kind)).toEqual(['truncated']);
  });

  it('reports an empty journal as valid and empty', async () => {
    writeFileSync(path, '');
    expect(await verifyJournal(path)).toMatchObject({ ok: true, entries: 0, problems: [], truncated: false });
  });
});
