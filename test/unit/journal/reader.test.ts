import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { readJournal, readJournalEntries } from '../../../src/journal/reader.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { recordJournal } from './support/drill-script.js';
import { playRegionLossDrill } from './support/region-loss-drill.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir();
let path: string;
let text: string;

beforeEach(() => {
  path = join(tempDir(), 'journal.jsonl');
  recordJournal(path, (d) => playRegionLossDrill(d, 'passed'));
  text = readFileSync(path, 'utf8');
});

describe('readJournal', () => {
  it('returns every entry in order, typed by event', async () => {
    const entries = await readJournal(path);
    expect(entries).toHaveLength(text.trimEnd().split('\n').length);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_e, i) => i));
    const first = entries[0];
    expect(first?.type).toBe('drill.started');
    if (first?.type === 'drill.started') expect(first.data.playbook.name).toBe('region-a-loss');
    expect(entries.at(-1)?.type).toBe('drill.finished');
  });

  it('streams the same entries one by one', async () => {
    const streamed = [];
    for await (const entry of readJournalEntries(path)) streamed.push(entry);
    expect(streamed).toEqual(await readJournal(path));
  });

  it('skips a last line cut off mid-write', async () => {
    const complete = await readJournal(path);
    appendFileSync(path, '{"seq":42,"time":"2026-05-12T09:30:0');
    expect(await readJournal(path)).toEqual(complete);
  });

  it('keeps entries of types it does not know', async () => {
    const lines = text.trimEnd().split('\n');
    lines.splice(3, 0, lines[3]?.replace('"type":"steady.checked"', '"type":"probe.future-kind"') ?? '');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const entries = await readJournal(path);
    expect(entries[3]?.type).toBe('probe.future-kind');
  });

  it('names the damaged line of a journal that is not JSON lines', async () => {
    const lines = text.trimEnd().split('\n');
    lines[6] = 'not json';
    writeFileSync(path, `${lines.join('\n')}\n`);
    await expect(readJournal(path)).rejects.toThrow(/journal\.jsonl:7: this journal line is not valid JSON/);
  });

  it('names a line that is JSON but not an entry', async () => {
    const lines = text.trimEnd().split('\n');
    lines[2] = '{"seq":2,"type":"phase.started"}';
    writeFileSync(path, `${lines.join('\n')}\n`);
    await expect(readJournal(path)).rejects.toThrow(/journal\.jsonl:3: this journal line has no valid "time"/);
  });

  it('says what to give it when there is no journal', async () => {
    const missing = join(tempDir(), 'nope', 'journal.jsonl');
    const error = await readJournal(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/there is no journal at .*nope.*give the directory of a drill run/);
  });
});

describe('a journal larger than one read chunk', () => {
  it('is read and verified line by line across chunk boundaries', async () => {
    const big = join(tempDir(), 'journal.jsonl');
    recordJournal(big, (d) => {
      d.emit('phase.started', { phase: 'steps' });
      d.wait({ index: 0, failures: Infinity, everyMs: 250, timeoutMs: 1_000_000, stopAfter: 3000, failSummary: 'x'.repeat(90) }, null);
    });
    const size = readFileSync(big).length;
    expect(size).toBeGreaterThan(4 * 65_536);
    let count = 0;
    for await (const entry of readJournalEntries(big)) {
      expect(entry.seq).toBe(count);
      count += 1;
    }
    expect(count).toBe(3001);
    expect(await verifyJournal(big)).toMatchObject({ ok: true, entries: 3001 });
  });
});
