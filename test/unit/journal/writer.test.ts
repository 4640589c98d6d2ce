import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_PREV, lineHash } from '../../../src/journal/entry.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { EventBus } from '../../../src/run/event-bus.js';
import { journalClock } from './support/journal-clock.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir();

function busInto(path: string) {
  const clock = journalClock();
  const bus = new EventBus(clock);
  const writer = JournalWriter.open(path);
  bus.subscribe((event) => writer.append(event));
  return { clock, bus, writer };
}

describe('JournalWriter', () => {
  it('writes one line per event with the fixed key order, elapsed ns and ISO UTC time', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const { clock, bus, writer } = busInto(path);
    clock.advance(1.5);
    bus.emit('phase.started', { phase: 'steps' });
    clock.advance(2000);
    bus.emit('faults.remaining', { refs: ['x'], reason: 'kept' });
    writer.close();

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(
      `{"seq":0,"time":"2026-05-12T09:30:00.001Z","monoNs":1500000,"type":"phase.started","data":{"phase":"steps"},"prev":"${GENESIS_PREV}"}`,
    );
    const second = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    expect(Object.keys(second)).toEqual(['seq', 'time', 'monoNs', 'type', 'data', 'prev']);
    expect(second).toMatchObject({ seq: 1, time: '2026-05-12T09:30:02.001Z', monoNs: 2_001_500_000 });
    expect(second.prev).toBe(lineHash(lines[0] ?? ''));
  });

  it('has each line on disk when append returns, before the next subscriber runs', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const { bus, writer } = busInto(path);
    const seenOnDisk: number[] = [];
    bus.subscribe(() => seenOnDisk.push(readFileSync(path, 'utf8').split('\n').length - 1));
    bus.emit('phase.started', { phase: 'steps' });
    bus.emit('phase.started', { phase: 'rollback' });
    writer.close();
    expect(seenOnDisk).toEqual([1, 2]);
  });

  it('refuses a journal that already has content, and leaves it untouched', () => {
    const path = join(tempDir(), 'journal.jsonl');
    writeFileSync(path, 'existing line\n');
    expect(() => JournalWriter.open(path)).toThrow(/already has content/);
    expect(readFileSync(path, 'utf8')).toBe('existing line\n');
  });

  it('accepts an existing empty file', () => {
    const path = join(tempDir(), 'journal.jsonl');
    writeFileSync(path, '');
    const { bus, writer } = busInto(path);
    bus.emit('phase.started', { phase: 'steps' });
    writer.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
  });

  it('says where and why when the journal cannot be created', () => {
    const path = join(tempDir(), 'missing-dir', 'journal.jsonl');
    expect(() => JournalWriter.open(path)).toThrow(/cannot create the journal .*missing-dir.*writable/);
  });

  it('rejects appends after close, and close twice is harmless', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const { bus, writer } = busInto(path);
    writer.close();
    writer.close();
    expect(() => bus.emit('phase.started', { phase: 'steps' })).toThrow(/after it was closed/);
  });

  it('tracks the head of the chain', () => {
    const path = join(tempDir(), 'journal.jsonl');
    const { bus, writer } = busInto(path);
    expect(writer.lastHash).toBe(GENESIS_PREV);
    bus.emit('phase.started', { phase: 'steps' });
    writer.close();
    expect(writer.entries).toBe(1);
    expect(writer.lastHash).toBe(lineHash(readFileSync(path, 'utf8').trimEnd()));
  });
});
