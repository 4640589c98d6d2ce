import { open, stat } from 'node:fs/promises';
import { messageOf } from '../errors.js';

/**
 * Reads a small text file (a playbook, a compose file) with the checks a tool that is fed
 * arbitrary paths needs: it must exist, be a regular file, stay under a size limit and be
 * UTF-8. Problems come back as data so callers can report them beside other issues.
 */

export type SourceFile =
  | { ok: true /** The exact bytes read, for hashing. */; bytes: Buffer; text: string }
  | { ok: false; problem: string; hint?: string };

export const MIB = 1024 * 1024;

export async function readSourceFile(path: string, maxBytes: number): Promise<SourceFile> {
  try {
    // stat before open: opening a FIFO or a device could block or never end.
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, problem: `is not a regular file (${fileKind(info)})` };
    if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
    const bytes = await readAtMost(path, maxBytes + 1);
    if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes);
    return decode(bytes);
  } catch (error) {
    return describeFsError(error);
  }
}

async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function decode(bytes: Buffer): SourceFile {
  try {
    // fatal: refuse invalid UTF-8 rather than silently replacing characters; a leading BOM is dropped.
    return { ok: true, bytes, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: 'is not UTF-8 text', hint: 'save the file as UTF-8' };
  }
}

function tooLarge(size: number, maxBytes: number): SourceFile {
  return {
    ok: false,
    problem: `is too large: ${size.toLocaleString('en')} bytes, more than the ${formatLimit(maxBytes)} limit`,
    hint: 'is this the right file?',
  };
}

function describeFsError(error: unknown): SourceFile {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { ok: false, problem: 'does not exist', hint: 'check the path' };
  if (code === 'ENOTDIR') return { ok: false, problem: 'does not exist (a part of the path is not a directory)' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, problem: 'cannot be read: permission denied' };
  const reason = messageOf(error);
  return { ok: false, problem: `cannot be read: ${reason}` };
}

function fileKind(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isDirectory()) return 'it is a directory';
  if (info.isFIFO()) return 'it is a named pipe';
  if (info.isSocket()) return 'it is a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device';
  return 'it is not a plain file';
}

function formatLimit(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes.toLocaleString('en')} bytes`;
}
