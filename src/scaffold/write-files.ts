import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentError, messageOf } from '../errors.js';
import type { ScaffoldFile } from './scaffold.js';

export interface WriteOutcome {
  file: ScaffoldFile;
  /** written; kept (it existed and --force was not given); overwritten (with --force). */
  result: 'written' | 'kept' | 'overwritten';
}

/**
 * Writes the scaffold's files under `dir`. A file that exists is never replaced without
 * `force`: the check and the creation are one step (`wx`), so a file appearing meanwhile is
 * kept too. Something that is not a file where one should go is an error that names it.
 */
export async function writeScaffold(dir: string, files: ScaffoldFile[], force: boolean): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  for (const file of files) {
    const path = join(dir, file.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      const existing = await stat(path).catch(() => undefined);
      if (existing && !existing.isFile())
        throw new EnvironmentError(`${path} exists and is not a file — move it away and run firedrill init again`);
      if (existing && !force) {
        outcomes.push({ file, result: 'kept' });
        continue;
      }
      await writeFile(path, file.content, { flag: force ? 'w' : 'wx' });
      outcomes.push({ file, result: existing ? 'overwritten' : 'written' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        outcomes.push({ file, result: 'kept' });
        continue;
      }
      if (error instanceof EnvironmentError) throw error;
      throw new EnvironmentError(`could not write ${path}: ${messageOf(error)}`);
    }
  }
  return outcomes;
}
