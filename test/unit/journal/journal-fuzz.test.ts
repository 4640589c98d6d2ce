import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { UsageError } from '../../../src/errors.js';
import { renderHistoryTable } from '../../../src/history/history-table.js';
import { listRuns } from '../../../src/history/run-index.js';
import { buildTrends } from '../../../src/history/trend.js';
import { renderTrendHtml } from '../../../src/history/trend-html.js';
import { renderTrendText } from '../../../src/history/trend-text.js';
import { readJournal } from '../../../src/journal/reader.js';
import { renderConsoleSummary } from '../../../src/report/console.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderJson } from '../../../src/report/json.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { readDrillModel } from '../../../src/report/read-model.js';
import { reportDocument } from '../../../src/report/report-document.js';
import { AUDIENCES } from '../../../src/report/document-types.js';
import { readRunState } from '../../../src/journal/run-journals.js';
import { useTempDir } from './support/temp-dir.js';
import { PLAIN } from '../../../src/words/paint.js';

/**
 * Journals damaged the ways files get damaged — lines dropped, repeated, moved, garbled or cut,
 * an event's data replaced by {} or [] or a field by a value of another type — never give an
 * uncaught error in the reader, the report model and every report, the history listing and its
 * trends, or the scan for faults a run left applied. Each yields a report or a named refusal
 * (UsageError); the scan always answers, and never loses a fault record it can read.
 */

const FIXTURES = join(import.meta.dirname, '../../fixtures/journals');
const BASES = ['region-a-loss-passed', 'region-a-loss-stopped', 'region-a-loss-cut-off'].map((name) =>
  readFileSync(join(FIXTURES, name, 'journal.jsonl'), 'utf8')
    .trimEnd()
    .split('\n'),
);
const DAMAGED = readdirSync(join(FIXTURES, 'damaged')).sort();
const tempDir = useTempDir();

type Mutation =
  | { kind: 'drop' | 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'garble'; at: number; cut: number; junk: string }
  | { kind: 'data'; at: number; value: unknown }
  | { kind: 'field'; at: number; pick: number; value: unknown; nested: boolean };

const position = fc.nat({ max: 10_000 });
const jsonValue = fc.oneof(fc.constant({}), fc.constant([]), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), at: position }),
  fc.record({ kind: fc.constant('swap' as const), at: position, with: position }),
  fc.record({ kind: fc.constant('garble' as const), at: position, cut: position, junk: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('data' as const), at: position, value: jsonValue }),
  fc.record({ kind: fc.constant('field' as const), at: position, pick: position, value: jsonValue, nested: fc.boolean() }),
);

function mutate(lines: string[], m: Mutation): string[] {
  if (lines.length === 0) return lines;
  const out = [...lines];
  const at = m.at % out.length;
  const line = out[at]!;
  switch (m.kind) {
    case 'drop':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, line);
      break;
    case 'swap':
      [out[at], out[m.with % out.length]] = [out[m.with % out.length]!, line];
      break;
    case 'garble':
      out[at] = line.slice(0, m.cut % (line.length + 1)) + m.junk;
      break;
    case 'data':
      out[at] = withEntry(line, (entry) => ({ ...entry, data: m.value }));
      break;
    case 'field':
      out[at] = withEntry(line, (entry) => ({ ...entry, data: replaceField(entry.data, m.pick, m.value, m.nested) }));
      break;
  }
  return out;
}

function withEntry(line: string, edit: (entry: Record<string, unknown>) => unknown): string {
  try {
    return JSON.stringify(edit(JSON.parse(line) as Record<string, unknown>));
  } catch {
    return line;
  }
}

/** One of the data's fields (or, nested, a field of one of them) replaced by `value`. */
function replaceField(data: unknown, pick: number, value: unknown, nested: boolean): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const keys = Object.keys(data);
  if (keys.length === 0) return data;
  const key = keys[pick % keys.length]!;
  const inner = (data as Record<string, unknown>)[key];
  const replaced = nested && typeof inner === 'object' && inner !== null ? replaceField(inner, Math.floor(pick / 7), value, false) : value;
  return Array.isArray(data) ? Object.assign([...data], { [key]: replaced }) : { ...data, [key]: replaced };
}

/** A refusal is a UsageError; anything else thrown is a defect. */
async function reportOrRefusal(dir: string): Promise<'report' | 'refused'> {
  let model;
  try {
    model = await readDrillModel(dir);
  } catch (error) {
    if (error instanceof UsageError) return 'refused';
    throw error;
  }
  for (const audience of AUDIENCES) {
    const doc = reportDocument(model, audience);
    renderMarkdown(doc);
    renderHtml(doc);
  }
  renderJson(model);
  renderJunit(model);
  renderConsoleSummary(model, PLAIN);
  return 'report';
}

/** The history of one runs directory, rendered every way; it must list every run. */
async function history(runsDir: string, runs: number): Promise<string> {
  const listed = await listRuns(runsDir);
  expect(listed).toHaveLength(runs);
  const trends = buildTrends(listed);
  const text = [renderHistoryTable(listed, paintFor(false), false), renderTrendText(trends, paintFor(false))].join('\n');
  renderTrendHtml(trends);
  return text;
}

describe('damaged journals', () => {
  it('each yields a report or a named refusal, and the history and the fault scan always answer', async () => {
    const root = tempDir();
    let iteration = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (base, mutations) => {
        const runsDir = join(root, `runs-${iteration}`);
        const dir = join(runsDir, `20261120T0900${String(iteration % 60).padStart(2, '0')}Z-fuzz-0a0a0a`);
        iteration += 1;
        mkdirSync(dir, { recursive: true });
        const lines = mutations.reduce(mutate, BASES[base]!);
        writeFileSync(join(dir, 'journal.jsonl'), lines.length > 0 ? `${lines.join('\n')}\n` : '');

        await readJournal(join(dir, 'journal.jsonl')).catch((error: unknown) => {
          if (!(error instanceof UsageError)) throw error;
        });
        const outcome = await reportOrRefusal(dir);
        const table = await history(runsDir, 1);
        expect(table).not.toMatch(/NaN/);
        if (outcome === 'refused') expect(table).toContain('unreadable');

        const state = await readRunState(dir);
        // Whatever the damage, a fault record on an intact line is never lost.
        const intactRecords = lines.filter((line) => line === BASES[2]!.find((l) => l.includes('"type":"fault.injecting"')));
        if (base === 2 && intactRecords.length > 0 && !lines.some((line) => line.includes('"type":"fault.reverted"'))) {
          expect(state?.pending.map((r) => r.ref)).toContain('region-a');
        }
      }),
      { numRuns: 120, seed: 9 },
    );
  });
});

describe('the worst cases found, kept as fixtures', () => {
  it.each(DAMAGED)('%s: a named refusal, listed as unreadable by history, and never a clean bill for the fault scan', async (name) => {
    const runsDir = tempDir();
    const dir = join(runsDir, '20261120T090000Z-region-a-loss-0a0a0a');
    mkdirSync(dir);
    cpSync(join(FIXTURES, 'damaged', name, 'journal.jsonl'), join(dir, 'journal.jsonl'));

    expect(await reportOrRefusal(dir)).toBe('refused');
    const table = await history(runsDir, 1);
    expect(table).toMatch(/unreadable/);
    expect(table).not.toMatch(/NaN|undefined/);
    const state = await readRunState(dir);
    if (name === 'empty') expect(state).toBeUndefined();
    else if (name === 'garbage-line-hides-fault')
      expect(state).toMatchObject({ pending: [{ ref: 'region-a' }], unreadable: [{ line: 8, problem: 'is not valid JSON' }] });
    else if (name !== 'no-start-record') expect(state?.unreadable.length).toBeGreaterThan(0);
  });
});
