/**
 * Where the committed JSON Schema lives, from src/playbook or dist/playbook alike. It is the
 * output of json-schema.ts, kept fresh by a unit test and regenerated with `npm run schema`;
 * this module imports nothing, so `firedrill schema` prints it without building the zod schema.
 */
export const SCHEMA_FILE_URL = new URL('../../schema/playbook.schema.json', import.meta.url);
