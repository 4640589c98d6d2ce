import { z } from 'zod';
import { playbookSchema } from './schema.js';

/**
 * The playbook's JSON Schema (draft-7) for editors, generated from the zod schema so the two
 * cannot disagree. schema/playbook.schema.json is this output, committed (schema-file.ts); a unit
 * test fails when it is stale. Regenerate with `npm run schema`.
 *
 * It describes the input as written: defaults are shown but not required. Rules zod checks
 * in code (a step takes exactly one action, fault ids, services) are not in it; `firedrill
 * validate` checks those.
 */

export const PLAYBOOK_SCHEMA_ID = 'urn:firedrill:playbook:1';

export function playbookJsonSchema(): Record<string, unknown> {
  const { $schema: _draft, ...generated } = z.toJSONSchema(playbookSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: PLAYBOOK_SCHEMA_ID,
    title: 'firedrill playbook',
    description: 'One disaster-recovery drill: its objectives, steady state and ordered steps. Check a playbook with `firedrill validate`.',
    ...generated,
  };
}

/** The file's exact text: 2-space indentation and a trailing newline. */
export function playbookJsonSchemaText(): string {
  return `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`;
}
