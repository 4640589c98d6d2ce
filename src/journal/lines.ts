import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { EnvironmentError, messageOf, UsageError } from '../errors.js';

/** One raw line of a journal file. */
export interface RawLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line's exact bytes, without its newline; only the first MAX_LINE_BYTES of an oversized line. */
  bytes: Buffer;
  /** False only for a last line with no newline after it: a write that was cut off. */
  terminated: boolean;
  /**
   * True when the line is longer than MAX_LINE_BYTES: no event firedrill writes is, so the
   * line is damage. It is yielded as soon as the limit is crossed; the rest of it is skipped
   * without being held.
   */
  oversized?: boolean;
}

/**
 * The longest line a reader accepts. The largest events firedrill writes are a drill's start
 * (its playbook is at most 1 MiB) and a step's captured output (at most 1 MB, up to six times
 * that once escaped as JSON): well under this. A longer line is damage, and holding it would
 * let one file take any amount of memory.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Reads a journal line by line, byte-exact: lines end at "\n" only and keep every other
 * byte (a "\r" included), because the hash chain covers the bytes as written. Memory use is
 * one chunk plus one line (at most MAX_LINE_BYTES), whatever the size of the journal.
 * Only a regular file is read: a named pipe or a device in its place is refused at once,
 * never waited on (UsageError). When the system refuses the read (too many open files, no
 * permission) it throws EnvironmentError: that says nothing about the journal's content.
 */
export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  const handle = await openRegularFile(path);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** Inside an oversized line already reported: its bytes are skipped up to its newline. */
  let skipping = false;
  let line = 1;
  try {
    for await (const chunk of readChunks(handle, path)) {
      let start = 0;
      while (start < chunk.length) {
        const end = chunk.indexOf(NEWLINE, start);
        const stop = end === -1 ? chunk.length : end;
        if (!skipping) {
          const room = MAX_LINE_BYTES - pendingBytes;
          if (stop - start > room) {
            pending.push(Buffer.from(chunk.subarray(start, start + room)));
            skipping = true;
            // Damage, never a cut-off write, wherever it ends.
            yield { line, bytes: joined(pending), terminated: true, oversized: true };
            pending = [];
            pendingBytes = 0;
          } else {
            // A copy: the chunk's buffer is reused for the next read.
            pending.push(Buffer.from(chunk.subarray(start, stop)));
            pendingBytes += stop - start;
          }
        }
        if (end === -1) break;
        if (!skipping) yield { line, bytes: joined(pending), terminated: true };
        skipping = false;
        pending = [];
        pendingBytes = 0;
        line += 1;
        start = end + 1;
      }
    }
    if (!skipping && pendingBytes > 0) yield { line, bytes: joined(pending), terminated: false };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const CHUNK_BYTES = 64 * 1024;

/** The pieces of one line (each a copy already) as one buffer. */
function joined(pieces: Buffer[]): Buffer {
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/**
 * The file's bytes in chunks read into one buffer, reused: a chunk is valid only until the next
 * one is read (readRawLines copies what it keeps), so skipping a huge line allocates nothing.
 */
async function* readChunks(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null));
    } catch (error) {
      throw unreadable(path, error);
    }
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * Opens without blocking (O_NONBLOCK: opening a named pipe for reading would otherwise wait
 * for a writer for ever), then refuses anything but a regular file, checked on the open file
 * itself so that nothing can be swapped in between.
 */
async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UsageError(`${path} is a directory, not a journal file`);
    if (!info.isFile())
      throw new UsageError(
        `${path} is not a regular file (${kindOf(info)}), so it is not a journal firedrill wrote — nothing was read from it`,
      );
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error instanceof UsageError ? error : unreadable(path, error);
  }
}

function kindOf(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}

/**
 * Refusals of the operating system, not of the file's content: too many files open, no
 * memory, no permission. A journal that meets one is not known to be damaged — reading it
 * again, with the cause gone, may well succeed — so it is never reported as damage.
 */
const REFUSED_BY_SYSTEM: Readonly<Record<string, string>> = {
  EMFILE: 'raise the limit on open files (`ulimit -n`) or close other programs, then try again',
  ENFILE: 'the system has too many files open: close other programs, then try again',
  ENOMEM: 'free some memory, then try again',
  EAGAIN: 'the system is short of resources: try again',
  EACCES: 'run firedrill as a user who may read it (the one who ran the drill), or change its permissions',
  EPERM: 'run firedrill as a user who may read it (the one who ran the drill), or change its permissions',
};

function unreadable(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const advice = code === undefined ? undefined : REFUSED_BY_SYSTEM[code];
  if (advice !== undefined) {
    return new EnvironmentError(`cannot read the journal ${path}: ${messageOf(error)} — ${advice}`);
  }
  if (code === 'ENOENT')
    return new UsageError(`there is no journal at ${path} — give the directory of a drill run (it holds journal.jsonl)`);
  if (code === 'EISDIR') return new UsageError(`${path} is a directory, not a journal file`);
  const message = messageOf(error);
  return new UsageError(`cannot read the journal ${path}: ${message}`);
}
