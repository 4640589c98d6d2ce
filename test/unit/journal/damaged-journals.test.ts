import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { readJournal } from '../../../src/journal/reader.js';
import { verifyJournal } from '../../../src/journal/verify.js';
import { readDrillModel } from '../../../src/report/read-model.js';
import { writeReports } from '../../../src/report/write-reports.js';
import type { EventType } from '../../../src/journal/events.js';
import { recordJournal } from './support/drill-script.js';
import { playRegionLossDrill } from './support/region-loss-drill.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir();
/** The longest line the reader accepts (lines.ts). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** A run directory with a real drill's journal (every event type a region-loss drill writes), and its lines. */
function runDir(): { dir: string; path: string; lines: string[] } {
  const dir = tempDir();
  const path = join(dir, 'journal.jsonl');
  recordJournal(path, (d) => playRegionLossDrill(d, 'rollback-incomplete'));
  return { dir, path, lines: readFileSync(path, 'utf8').trimEnd().split('\n') };
}

function withData(line: string, data: unknown): string {
  const entry = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify({ ...entry, data });
}

/** Every event type the drill journal holds, with the index of its first line. */
function firstLineOfEachType(lines: string[]): Map<EventType, number> {
  const found = new Map<EventType, number>();
  lines.forEach((line, i) => {
    const type = (JSON.parse(line) as { type: EventType }).type;
    if (!found.has(type)) found.set(type, i);
  });
  return found;
}

describe('a journal line whose data does not fit its event', () => {
  it('drill.started with {} is refused by the reader and the reports, naming the line and the field', async () => {
    const { dir, path, lines } = runDir();
    lines[0] = withData(lines[0]!, {});
    writeFileSync(path, `${lines.join('\n')}\n`);

    await expect(readJournal(path)).rejects.toThrow(
      /journal\.jsonl:1: this journal line has data that does not fit a "drill\.started" event: data\.runId: /,
    );
    const error = await writeReports(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toMatch(/Cannot read properties/);
  });

  it('every event type, with its data replaced by {}, by [] or by a value of the wrong type, is damage at its own line', async () => {
    const { dir, path, lines } = runDir();
    const types = firstLineOfEachType(lines);
    // The drill's journal holds a broad set of the types; each must be checked, not only the first.
    expect(types.size).toBeGreaterThanOrEqual(12);
    for (const [type, index] of types) {
      for (const data of [{}, [], { ...(JSON.parse(lines[index]!) as { data: object }).data, ...wrongTypes(type) }]) {
        const mutated = [...lines];
        mutated[index] = withData(lines[index]!, data);
        writeFileSync(path, `${mutated.join('\n')}\n`);
        const error = await readDrillModel(dir).catch((e: unknown) => e);
        expect(error, `${type} with ${JSON.stringify(data).slice(0, 60)}`).toBeInstanceOf(UsageError);
        expect((error as Error).message).toContain(
          `journal.jsonl:${index + 1}: this journal line has data that does not fit a "${type}" event`,
        );
      }
    }
  });

  it('is a format problem for verify too', async () => {
    const { path, lines } = runDir();
    lines[3] = withData(lines[3]!, []);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const result = await verifyJournal(path);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ line: 4, kind: 'format', message: expect.stringContaining('does not fit') }),
    );
  });

  it('keeps fields a newer firedrill adds, and types it does not know', async () => {
    const { dir, path, lines } = runDir();
    const started = JSON.parse(lines[0]!) as { data: Record<string, unknown> };
    lines[0] = withData(lines[0]!, { ...started.data, addedLater: { x: 1 } });
    lines.splice(2, 0, withData(lines[2]!.replace(/"type":"[^"]+"/, '"type":"future.event"'), { anything: [1, 2] }));
    writeFileSync(path, `${lines.join('\n')}\n`);
    const entries = await readJournal(path);
    expect(entries[0]?.data).toMatchObject({ addedLater: { x: 1 } });
    expect(entries[2]?.type).toBe('future.event');
    expect((await readDrillModel(dir)).playbook?.name).toBe('region-a-loss');
  });

  it('a control character in a field name reaches the message escaped', async () => {
    const { path, lines } = runDir();
    const topology = lines.findIndex((line) => line.includes('"type":"topology.resolved"'));
    const data = (JSON.parse(lines[topology]!) as { data: { regions: object } }).data;
    lines[topology] = withData(lines[topology]!, { ...data, regions: { '\u001b]8;;x\u0007a\nb': 'not a list' } });
    writeFileSync(path, `${lines.join('\n')}\n`);
    const message = await readJournal(path).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );
    expect(message).toContain('data.regions.\\u001b]8;;x\\u0007a\\u000ab');
    expect(message).not.toMatch(/[\u0000-\u001f]/);
  });
});

/** The same fields with values of another JSON type: numbers as strings, strings as numbers, lists as objects. */
function wrongTypes(type: EventType): Record<string, unknown> {
  const byType: Partial<Record<EventType, Record<string, unknown>>> = {
    'drill.started': { steps: { 0: 'x' } },
    'topology.resolved': { services: 'app' },
    'phase.started': { phase: 7 },
    'steady.checked': { ok: 'yes' },
    'step.started': { index: '0' },
    'fault.injecting': { record: { ref: 'x', kind: 'service', revertible: true, spec: {}, targets: 'app' } },
    'fault.applied': { injectMs: '12' },
    'probe.sample': { latencyMs: -1 },
    'wait.finished': { recoveryMs: '1s' },
    'step.finished': { status: 'done' },
    'objective.evaluated': { targetMs: null },
    'fault.reverted': { done: 'everything' },
    'faults.remaining': { refs: 'region-a' },
    'drill.finished': { verdict: 'ok' },
    'drill.aborting': { cause: 42 },
  };
  return byType[type] ?? { index: 'first', ref: 5, name: 5 };
}

describe('a journal that is not a journal', () => {
  it('a named pipe in its place is refused at once, never waited on', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'journal.jsonl')]);
    const error = await readDrillModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/journal\.jsonl is not a regular file \(a named pipe\)/);
  }, 5_000);

  it('a line longer than any event is damage, read with bounded memory, not "an unnamed drill"', async () => {
    const { dir, path } = runDir();
    // A journal followed by one line of 4 MiB more than the limit, without a newline.
    const fd = openSync(path, 'a');
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < MAX_LINE_BYTES / block.length + 4; i += 1) writeSync(fd, block);
    closeSync(fd);
    const error = await writeReports(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/journal\.jsonl:\d+: this journal line is longer than 16 MiB/);
  });

  it('an empty journal gets no report: it says the journal is empty', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'journal.jsonl'), '');
    await expect(writeReports(dir)).rejects.toThrow(/journal\.jsonl is empty/);
    const cutOff = join(tempDir(), 'run');
    mkdirSync(cutOff);
    writeFileSync(join(cutOff, 'journal.jsonl'), '{"seq":0,"time":"2026-');
    await expect(writeReports(cutOff)).rejects.toThrow(/is empty \(it holds no complete entry\)/);
  });

  it('a journal without its start record gets no report', async () => {
    const { dir, path, lines } = runDir();
    writeFileSync(path, `${lines.slice(1).join('\n')}\n`);
    await expect(writeReports(dir)).rejects.toThrow(/has no drill start record \(drill\.started\)/);
  });
});
