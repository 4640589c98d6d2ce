import { UsageError } from '../errors.js';
import { type JournalEntry, entryShapeProblem } from './entry.js';
import { type RawLine, readRawLines } from './lines.js';

/**
 * Streams a journal's entries in file order, for journals too large to hold at once.
 *
 * Contract: a last line cut off mid-write (no newline, not valid JSON) is the mark of a crash,
 * not damage, and is skipped; any other line that is not an entry throws a UsageError naming
 * the line. The hash chain is not checked here (that is verifyJournal's job), and entries of
 * unknown types are passed through for the consumer to ignore.
 */
export async function* readJournalEntries(path: string): AsyncGenerator<JournalEntry> {
  for await (const raw of readRawLines(path)) {
    const entry = parseLine(raw);
    if (entry === undefined) {
      if (raw.terminated) throw damaged(path, raw.line, 'is not valid JSON');
      return;
    }
    const problem = entryShapeProblem(entry);
    if (problem !== undefined) throw damaged(path, raw.line, problem);
    yield entry as JournalEntry;
  }
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

function damaged(path: string, line: number, problem: string): UsageError {
  return new UsageError(`${path}:${line}: this journal line ${problem} — the journal is damaged; verify it to see every problem`);
}
