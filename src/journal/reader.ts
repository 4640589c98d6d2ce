import { UsageError } from '../errors.js';
import { type JournalEntry, entryShapeProblem } from './entry.js';
import { eventDataProblem } from './event-schema.js';
import { ChainFollower } from './continuity.js';
import { MAX_LINE_BYTES, type RawLine, readRawLines } from './lines.js';

/** A line of a journal that is not an entry, and why. */
export interface LineDamage {
  line: number;
  problem: string;
}

/** One step of reading a journal: an entry, or a line that is not one. */
export type ReadLine = { entry: JournalEntry } | { damage: LineDamage };

/**
 * Streams a journal's entries in file order, for journals too large to hold at once.
 *
 * Contract: a last line cut off mid-write (no newline, not valid JSON) is the mark of a crash,
 * not damage, and is skipped; any other line that is not an entry — not JSON, not an entry's
 * fields, data that does not fit its event type, longer than any event — throws a UsageError
 * naming the line. The hash chain is not checked here (that is verifyJournal's job), and entries
 * of unknown types are passed through for the consumer to ignore.
 */
export async function* readJournalEntries(path: string): AsyncGenerator<JournalEntry> {
  for await (const read of scanJournalLines(path)) {
    if ('damage' in read) throw damaged(path, read.damage);
    yield read.entry;
  }
}

/**
 * Every line of a journal, each as an entry or as damage, to the end: for readers that must
 * use every entry they can (a recovery looking for faults) and say what they could not read.
 * Only a file that cannot be opened or read at all throws.
 *
 * With `continuity`, a break in the sequence or the hash chain is damage too, yielded before
 * the entry it was found on (which is still yielded): a line deleted outright leaves nothing
 * else behind, and it may have been a fault's record (continuity.ts).
 */
export async function* scanJournalLines(path: string, opts: { continuity?: boolean } = {}): AsyncGenerator<ReadLine> {
  const chain = opts.continuity ? new ChainFollower() : undefined;
  for await (const raw of readRawLines(path)) {
    const read = readLine(raw);
    if (read && chain) {
      const broken = 'damage' in read ? chain.lost() : chain.follow(raw, read.entry);
      if (broken) yield { damage: { line: raw.line, problem: broken } };
    }
    if (read) yield read;
  }
}

/** A line as an entry or damage; undefined for a last line cut off mid-write. */
function readLine(raw: RawLine): ReadLine | undefined {
  if (raw.oversized)
    return {
      damage: { line: raw.line, problem: `is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, more than any event firedrill writes` },
    };
  const value = parseLine(raw);
  if (value === undefined) return raw.terminated ? { damage: { line: raw.line, problem: 'is not valid JSON' } } : undefined;
  const problem = entryProblem(value);
  return problem === undefined ? { entry: value as JournalEntry } : { damage: { line: raw.line, problem } };
}

/** What is wrong with a parsed line as an entry: its fields, then its data against its event type. */
export function entryProblem(value: unknown): string | undefined {
  const shape = entryShapeProblem(value);
  if (shape !== undefined) return shape;
  const entry = value as { type: string; data: unknown };
  return eventDataProblem(entry.type, entry.data);
}

/** A journal's first entry (drill.started in a run's journal), read without the rest. */
export async function readFirstEntry(path: string): Promise<JournalEntry | undefined> {
  for await (const entry of readJournalEntries(path)) return entry;
  return undefined;
}

/** Every entry of a journal, in file order. */
export async function readJournal(path: string): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of readJournalEntries(path)) entries.push(entry);
  return entries;
}

/** The parsed JSON value of a line, or undefined when it is not JSON. */
export function parseLine(raw: RawLine): unknown {
  try {
    return JSON.parse(raw.bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function damaged(path: string, damage: LineDamage): UsageError {
  return new UsageError(`${path}:${damage.line}: this journal line ${damage.problem} — the journal is damaged`);
}
