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
    return { ok: false, attempts: 1, error: messageOf(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
