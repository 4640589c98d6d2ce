import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaCommand } from '../../../src/cli/commands/schema.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { PLAYBOOK_SCHEMA_ID, playbookJsonSchema, playbookJsonSchemaText } from '../../../src/playbook/json-schema.js';
import { SCHEMA_FILE_URL } from '../../../src/playbook/schema-file.js';

describe('playbook JSON Schema', () => {
  it('is committed as generated (regenerate: npm run schema)', async () => {
    expect(fileURLToPath(SCHEMA_FILE_URL)).toBe(fileURLToPath(new URL('../../../schema/playbook.schema.json', import.meta.url)));
    const committed = await readFile(SCHEMA_FILE_URL, 'utf8');
    expect(committed).toBe(playbookJsonSchemaText());
  });

  it('is draft-7 with an id, a title and the playbook as written by hand', () => {
    const schema = playbookJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown; type?: string; pattern?: string }>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(PLAYBOOK_SCHEMA_ID);
    expect(schema.title).toBe('firedrill playbook');
    expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
    // Input side: fields with defaults are optional, durations are strings.
    expect(schema.required.toSorted()).toEqual(['name', 'steps', 'summary', 'title', 'topology']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.timeLimit).toEqual({ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h))+$' });
    expect(schema.properties.rollback).toMatchObject({ default: 'always' });
  });

  it('is what `firedrill schema` prints', async () => {
    let printed = '';
    const code = await schemaCommand({ out: (s) => (printed += s) });
    expect(code).toBe(ExitCode.Passed);
    expect(printed).toBe(playbookJsonSchemaText());
    expect(printed.endsWith('}\n')).toBe(true);
    expect(printed.split('\n')[1]).toBe('  "$schema": "http://json-schema.org/draft-07/schema#",');
  });
});
