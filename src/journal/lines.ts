import { createReadStream } from 'node:fs';
import { messageOf, UsageError } from '../errors.js';

/** One raw line of a journal file. */
export interface RawLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line's exact bytes, without its newline. */
  bytes: Buffer;
  /** False only for a last line with no newline after it: a write that was cut off. */
  terminated: boolean;
}

const NEWLINE = 0x0a;

/**
 * Reads a journal line by line, byte-exact: lines end at "\n" only and keep every other
 * byte (a "\r" included), because the hash chain covers the bytes as written. Memory use is
 * one chunk plus one line, whatever the size of the journal.
 */
export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let line = 1;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      let start = 0;
      let end = chunk.indexOf(NEWLINE, start);
      while (end !== -1) {
        pending.push(chunk.subarray(start, end));
        yield { line, bytes: Buffer.concat(pending), terminated: true };
        pending = [];
        line += 1;
        start = end + 1;
        end = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    throw unreadable(path, error);
  }
  if (pending.length > 0) yield { line, bytes: Buffer.concat(pending), terminated: false };
}

function unreadable(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UsageError(`there is no journal at ${path} — give the directory of a drill run (it holds journal.jsonl)`);
  if (code === 'EISDIR') return new UsageError(`${path} is a directory, not a journal file`);
  const message = messageOf(error);
  return new UsageError(`cannot read the journal ${path}: ${message}`);
}
