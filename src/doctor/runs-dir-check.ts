import { randomBytes } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { messageOf } from '../errors.js';
import { finding, type Finding } from './findings.js';

/**
 * Whether a run could keep its journal in `dir`: a probe file is created and removed in the
 * directory, or, when it does not exist yet (a run creates it), in the nearest directory above
 * it that exists. Nothing is left behind: no directory is created, and the probe is removed
 * whatever happens.
 */
export async function checkRunsDir(dir: string): Promise<Finding> {
  const wanted = resolve(dir);
  const existing = await nearestExisting(wanted);
  if (!existing.isDirectory) return finding('runs-dir', 'fail', 'runs-dir.blocked', { dir, at: existing.path });
  const probe = join(existing.path, `.firedrill-doctor-${randomBytes(6).toString('hex')}`);
  let created = false;
  try {
    await writeFile(probe, '', { flag: 'wx' });
    created = true;
  } catch (error) {
    return finding('runs-dir', 'fail', 'runs-dir.not-writable', { dir, at: existing.path, cause: messageOf(error) });
  } finally {
    // Only a probe this call made: 'wx' refuses a file that was there before.
    if (created) await rm(probe, { force: true });
  }
  const exists = existing.path === wanted;
  return finding('runs-dir', 'ok', 'runs-dir.writable', { dir, exists, ...(exists ? {} : { createdUnder: existing.path }) });
}

/** The path itself when it exists, else the nearest ancestor that does (the root always does). */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, isDirectory: (await stat(current)).isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands where a directory of the path should be; the walk up finds it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) throw error;
    }
  }
}
