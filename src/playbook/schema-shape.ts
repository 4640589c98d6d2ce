import { z } from 'zod';
import type { YamlPath } from '../yaml/positions.js';

/**
 * Reads the shape of a zod schema at a path of some input, so messages can list what is
 * allowed there (keys for "did you mean …?"). Zod's issues name the unknown key but not
 * the known ones. Only the schema kinds the playbook uses are understood; anything else
 * answers undefined and the message simply goes without a hint.
 */

/** The keys the object schema at `path` allows, or undefined when it is not an object there. */
export function allowedKeysAt(schema: z.ZodType, path: YamlPath, data: unknown): string[] | undefined {
  const found = schemaAt(schema, path, data);
  return found instanceof z.ZodObject ? Object.keys(found.shape) : undefined;
}

/**
 * The schema that applies at `path` of `data`, wrappers stripped and union members chosen
 * by the data; undefined when the path leads nowhere the schema describes. With
 * `keepTransforms`, a transform found at the end is returned whole rather than its input side.
 */
export function schemaAt(schema: z.ZodType, path: YamlPath, data: unknown, keepTransforms = false): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  let value = data;
  for (const segment of path) {
    current = childSchema(settle(current, value), segment);
    value = childValue(value, segment);
    if (!current) return undefined;
  }
  return settle(current, value, !keepTransforms);
}

/**
 * Whether `schema` reads durations: it turns "100ms" into 100 or "1m30s" into 90000 (one
 * of the two always fits a duration's allowed range). When it does, its own message for
 * malformed text is returned, so the wording lives in one place (duration.ts).
 */
export function durationMessage(schema: z.ZodType | undefined): string | undefined {
  if (!schema) return undefined;
  const reads = (text: string, ms: number) => {
    const result = schema.safeParse(text);
    return result.success && result.data === ms;
  };
  if (!reads('100ms', 100) && !reads('1m30s', 90_000)) return undefined;
  return schema.safeParse('not a duration').error?.issues[0]?.message;
}

/**
 * Whether the value at `path` of `data` is valid where it stands, judged by the schema of
 * that place alone (whatever is wrong elsewhere): its parsed value (defaults applied) when it
 * is, undefined when it is not or the schema says nothing about that place. Lets references
 * be checked in every part of a playbook that parsed, beside the schema's own issues.
 */
export function validAt(schema: z.ZodType, data: unknown, path: YamlPath): { value: unknown } | undefined {
  if (path.length === 0) return undefined;
  const parent = schemaAt(schema, path.slice(0, -1), data);
  const field = childSchema(parent, path.at(-1)!);
  if (!field) return undefined;
  const parsed = field.safeParse(valueAt(data, path));
  return parsed.success ? { value: parsed.data } : undefined;
}

/** The value at `path` of plain data, or undefined when any step is missing. */
export function valueAt(data: unknown, path: YamlPath): unknown {
  let value = data;
  for (const segment of path) value = childValue(value, segment);
  return value;
}

function childValue(value: unknown, segment: PropertyKey): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Record<PropertyKey, unknown>)[segment];
}

function childSchema(schema: z.ZodType | undefined, segment: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(segment)];
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}

/**
 * Strips wrappers (optional, default, the input side of a transform) and picks the union
 * member `value` belongs to: by discriminator, or the only object member of a plain union.
 */
function settle(schema: z.ZodType | undefined, value: unknown, throughTransforms = true): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 20; depth++) {
    if (!throughTransforms && current instanceof z.ZodPipe) return current;
    const inner = unwrapOnce(current, value);
    if (inner === current) return current;
    current = inner;
  }
  return current;
}

function unwrapOnce(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodCatch ||
    schema instanceof z.ZodNonOptional
  ) {
    return schema.unwrap() as z.ZodType;
  }
  if (schema instanceof z.ZodPipe) return schema.in as z.ZodType;
  if (schema instanceof z.ZodDiscriminatedUnion) return memberByDiscriminator(schema, value);
  if (schema instanceof z.ZodUnion) {
    const objects = (schema.options as readonly z.ZodType[]).filter((option) => settle(option, value) instanceof z.ZodObject);
    return objects.length === 1 ? objects[0] : undefined;
  }
  return schema;
}

function memberByDiscriminator(union: z.ZodDiscriminatedUnion, value: unknown): z.ZodType | undefined {
  const discriminator = union.def.discriminator;
  const tag = childValue(value, discriminator);
  return (union.options as readonly z.ZodType[]).find((option) => {
    const settled = settle(option, undefined);
    if (!(settled instanceof z.ZodObject)) return false;
    const tagSchema = (settled.shape as Record<string, z.ZodType>)[discriminator];
    return tagSchema?.safeParse(tag).success ?? false;
  });
}
