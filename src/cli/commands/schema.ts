import { readFile } from 'node:fs/promises';
import { ExitCode } from '../../exit-codes.js';
import { SCHEMA_FILE_URL } from '../../playbook/schema-file.js';

/**
 * `firedrill schema`: prints the playbook JSON Schema. It is the committed file, which a unit test
 * holds to what the zod schema generates: printing it spares every call building that schema.
 */
export async function schemaCommand(opts: { out: (s: string) => void }): Promise<number> {
  opts.out(await readFile(SCHEMA_FILE_URL, 'utf8'));
  return ExitCode.Passed;
}
