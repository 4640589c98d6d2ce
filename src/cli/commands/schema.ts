import { ExitCode } from '../../exit-codes.js';
import { playbookJsonSchemaText } from '../../playbook/json-schema.js';

/** `firedrill schema`: prints the playbook JSON Schema, the same text as schema/playbook.schema.json. */
export async function schemaCommand(opts: { out: (s: string) => void }): Promise<number> {
  opts.out(playbookJsonSchemaText());
  return ExitCode.Passed;
}
