import { createHash } from 'node:crypto';
import type { EventMap, EventType } from './events.js';

/**
 * One line of the journal, as stored. The key order on disk is fixed
 * (seq, time, monoNs, type, data, prev) so that a line is reproducible from its fields.
 */
export interface JournalEntryOf<T extends EventType> {
  /** 0 for the first line, then +1 per line. */
  seq: number;
  /** Wall-clock time, ISO 8601 UTC with milliseconds. For people; never used to measure. */
  time: string;
  /** Nanoseconds since the drill's clock origin (monotonic). */
  monoNs: number;
  type: T;
  data: EventMap[T];
  /** SHA-256 (hex) of the previous line's bytes without its newline; 64 zeros on the first line. */
  prev: string;
}

/**
 * Any entry, discriminated by `type` (a `switch (entry.type)` narrows `data`). Readers do not
 * validate `data` against the type: a journal written by a newer firedrill may hold types this
 * one does not know, and every consumer must ignore those (a `default:` branch that does nothing).
 */
export type JournalEntry = { [T in EventType]: JournalEntryOf<T> }[EventType];

/** The fields of a line before they are typed: what the writer serialises. */
export interface StoredLine {
  seq: number;
  time: string;
  monoNs: number;
  type: string;
  data: unknown;
  prev: string;
}

export const GENESIS_PREV = '0'.repeat(64);

const HEX_64 = /^[0-9a-f]{64}$/;

/** The exact text of a line, without its newline. */
export function serializeEntry(entry: StoredLine): string {
  const ordered = {
    seq: entry.seq,
    time: entry.time,
    monoNs: entry.monoNs,
    type: entry.type,
    data: entry.data,
    prev: entry.prev,
  };
  return JSON.stringify(ordered);
}

/** SHA-256 hex of a line's bytes (without its newline): the next line's `prev`. */
export function lineHash(line: Uint8Array | string): string {
  return createHash('sha256').update(line).digest('hex');
}

/**
 * Checks that a parsed line has the fields of an entry with the right JSON types.
 * Returns a description of what is wrong, or undefined when the shape is right.
 */
export function entryShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const record = value as Record<string, unknown>;
  if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 0) return 'has no valid "seq" (a non-negative integer)';
  if (typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) return 'has no valid "time"';
  if (!Number.isSafeInteger(record.monoNs) || (record.monoNs as number) < 0) return 'has no valid "monoNs"';
  if (typeof record.type !== 'string' || record.type === '') return 'has no "type"';
  if (typeof record.data !== 'object' || record.data === null) return 'has no "data" object';
  if (typeof record.prev !== 'string' || !HEX_64.test(record.prev)) return 'has no valid "prev" (64 hex digits)';
  return undefined;
}
