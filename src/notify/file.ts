import { open } from 'node:fs/promises';
import { messageOf } from '../errors.js';
import type { DeliveryResult, StatusChannel, StatusUpdate } from './status-update.js';

type FileChannel = Extract<StatusChannel, { kind: 'file' }>;

/**
 * Appends the update as one JSON line and syncs it to disk before reporting it delivered:
 * a line the drill reports as sent survives a crash right after. The file is created when
 * missing; its directory is not (a typo in a path should fail, not scatter directories).
 */
export async function appendToFile(channel: FileChannel, update: StatusUpdate, signal: AbortSignal): Promise<DeliveryResult> {
  if (signal.aborted) return { ok: false, attempts: 0, error: 'aborted: the drill is stopping' };
  let handle;
  try {
    handle = await open(channel.path, 'a');
    await handle.appendFile(`${JSON.stringify(update)}\n`);
    await handle.sync();
    return { ok: true, attempts: 1 };
  } catch (error) {
    return { ok: false, attempts: 1, error: writeError(error, channel) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Plain words for the errors a path from a playbook commonly meets. */
const REASONS: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of its path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
};

/**
 * Why the write failed, naming the file as the playbook gave it: Node's own message quotes the
 * resolved path, and with it the run directory's place on this machine, which reports must not show.
 */
function writeError(error: unknown, channel: FileChannel): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  if (reason !== undefined) return `cannot write ${channel.given}: ${reason} (${String(code)})`;
  const message = messageOf(error);
  return `cannot write ${channel.given}: ${channel.path.length > 0 ? message.split(channel.path).join(channel.given) : message}`;
}
