import type { z } from 'zod';
import { didYouMean, listNames } from './did-you-mean.js';
import { quoted } from '../words/input-text.js';
import { pathPrefix, type PathIssue, type YamlPath } from '../yaml/positions.js';
import { allowedKeysAt, durationMessage, schemaAt, valueAt } from './schema-shape.js';

/**
 * Turns zod's issues into plain words, each at the path it concerns: unknown keys one by
 * one with a "did you mean …?", missing keys at their parent, wrong kinds with the kinds
 * that exist. `data` is the parsed YAML the schema was given.
 */

type ZodIssue = z.core.$ZodIssue;

interface Context {
  schema: z.ZodType;
  data: unknown;
}

export function describeSchemaIssues(issues: readonly ZodIssue[], schema: z.ZodType, data: unknown): PathIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, { schema, data }));
}

function describeIssue(issue: ZodIssue, ctx: Context): PathIssue[] {
  const path = issue.path;
  const value = valueAt(ctx.data, path);
  const at = (message: string, hint?: string): PathIssue[] => [withHint({ path, message: pathPrefix(path) + message }, hint)];
  switch (issue.code) {
    case 'unrecognized_keys':
      return describeUnknownKeys(issue.keys, path, ctx);
    case 'invalid_union':
      return describeUnion(issue, ctx);
    case 'invalid_type':
      if (value === undefined && path.length > 0) return describeMissing(path);
      return describeWrongType(issue.expected, path, value, ctx);
    case 'invalid_value':
      return describeInvalidValue(issue.values, path, value);
    case 'too_small':
    case 'too_big':
      return at(describeBound(issue, value));
    case 'invalid_format': {
      const message = describeFormat(issue);
      // "expected a duration such as …" reads best with what was found instead.
      return at(message.startsWith('expected ') && value !== undefined ? `${message}, got ${describeValue(value)}` : message);
    }
    case 'invalid_key':
      return describeInvalidKey(issue.issues, path);
    case 'not_multiple_of':
      return at(`must be a multiple of ${String(issue.divisor)}, got ${describeValue(value)}`);
    default:
      return at(issue.message);
  }
}

/** Unknown keys of one mapping reported one by one; the rest are counted in one more issue. */
const MAX_UNKNOWN_KEYS_LISTED = 100;

function describeUnknownKeys(keys: readonly string[], path: YamlPath, ctx: Context): PathIssue[] {
  const allowed = allowedKeysAt(ctx.schema, path, ctx.data) ?? [];
  const listed = allowed.length > 0 ? `keys allowed here: ${allowed.join(', ')}` : undefined;
  const issues = keys
    .slice(0, MAX_UNKNOWN_KEYS_LISTED)
    .map((key) =>
      withHint(
        { path: [...path, key], at: 'key', message: `${pathPrefix(path)}unknown key ${quoted(key)}` },
        didYouMean(key, allowed) ?? listed,
      ),
    );
  const more = keys.length - issues.length;
  if (more > 0) {
    const message = `${pathPrefix(path)}and ${more.toLocaleString('en')} more unknown ${more === 1 ? 'key' : 'keys'} in this mapping, from here on`;
    issues.push(withHint({ path: [...path, keys[MAX_UNKNOWN_KEYS_LISTED]!], at: 'key', message }, listed));
  }
  return issues;
}

function describeMissing(path: YamlPath): PathIssue[] {
  const parent = path.slice(0, -1);
  return [{ path: parent, at: 'key', message: `${pathPrefix(parent)}missing required field "${String(path.at(-1))}"` }];
}

function describeWrongType(expected: string, path: YamlPath, value: unknown, ctx: Context): PathIssue[] {
  const duration = expected === 'string' ? durationMessage(schemaAt(ctx.schema, path, ctx.data, true)) : undefined;
  const message = `${pathPrefix(path)}${duration ?? `expected ${expectedType(expected)}`}, got ${describeValue(value)}`;
  let hint: string | undefined;
  if (duration && typeof value === 'number') hint = 'a duration needs a unit: ms, s, m or h';
  if ((expected === 'number' || expected === 'int') && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    hint = 'write the number without quotes';
  }
  return [withHint({ path, message }, hint)];
}

function describeUnion(issue: Extract<ZodIssue, { code: 'invalid_union' }>, ctx: Context): PathIssue[] {
  const path = issue.path;
  if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
    return describeUnknownKind(path, issue.discriminator, issue.options.map(String), valueAt(ctx.data, path));
  }
  // Keep the members the value got past the type check of; their issues say the most.
  const branches = issue.errors.filter((branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
  if (branches.length > 0) {
    const nested = branches[0]!.map((inner) => ({ ...inner, path: [...path, ...inner.path] }) as ZodIssue);
    return nested.flatMap((inner) => describeIssue(inner, ctx));
  }
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((inner) => (inner.code === 'invalid_type' ? [expectedType(inner.expected)] : [])),
  );
  const value = valueAt(ctx.data, path);
  const wanted = expected.length > 0 ? [...new Set(expected)].join(' or ') : 'a different value';
  return [{ path, message: `${pathPrefix(path)}expected ${wanted}, got ${describeValue(value)}` }];
}

/** `kind` of a fault, probe or action that is missing or names no kind that exists. */
function describeUnknownKind(path: YamlPath, discriminator: string, kinds: string[], value: unknown): PathIssue[] {
  const noun = kindNoun(path);
  const known = `the ${noun} kinds are ${listNames(kinds)}`;
  if (value === undefined) {
    const parent = path.slice(0, -1);
    return [{ path: parent, at: 'key', message: `${pathPrefix(parent)}missing required field "${discriminator}"; ${known}` }];
  }
  const hint = typeof value === 'string' ? didYouMean(value, kinds) : undefined;
  const what =
    typeof value === 'string' ? `unknown ${noun} kind ${quoted(value)}` : `expected ${withArticle(noun)} kind, got ${describeValue(value)}`;
  return [withHint({ path, message: `${pathPrefix(path)}${what}; ${known}` }, hint)];
}

/** What the union at `path` holds, from the key it sits under: inject → fault, probe(s) → probe, run → action. */
function kindNoun(path: YamlPath): string {
  const owner = path.slice(0, -1).findLast((segment) => typeof segment === 'string');
  const nouns: Record<string, string> = { inject: 'fault', probe: 'probe', probes: 'probe', run: 'action' };
  return nouns[String(owner)] ?? 'allowed';
}

/** "a fault", "an action": the article English puts before a word, by how it sounds. */
export function withArticle(word: string): string {
  // Words that start with a vowel sound; "u" as in "unit" or "user" sounds like "you".
  const vowelSound = /^[aeio]|^u(?!ni|s[aeu]|r[aeiou]|rl)|^h(?:our|onest)/i.test(word);
  return `${vowelSound ? 'an' : 'a'} ${word}`;
}

function describeInvalidValue(values: readonly unknown[], path: YamlPath, value: unknown): PathIssue[] {
  const shown = values.map((v) => (typeof v === 'string' ? v : String(v)));
  const expected = values.length === 1 ? formatLiteral(values[0]) : `one of ${listNames(shown, 'or')}`;
  const hint = typeof value === 'string' ? didYouMean(value, shown) : undefined;
  return [withHint({ path, message: `${pathPrefix(path)}expected ${expected}, got ${describeValue(value)}` }, hint)];
}

function describeInvalidKey(inner: readonly ZodIssue[], path: YamlPath): PathIssue[] {
  const key = String(path.at(-1));
  const parent = path.slice(0, -1);
  return inner.map((issue) => ({
    path,
    at: 'key' as const,
    message: `${pathPrefix(parent)}key ${quoted(key)}: ${issue.code === 'invalid_format' ? describeFormat(issue) : issue.message}`,
  }));
}

function describeBound(issue: Extract<ZodIssue, { code: 'too_small' | 'too_big' }>, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${limit} characters long`;
  }
  if (issue.origin === 'array') {
    if (small && limit === 1) return 'needs at least one item';
    return small ? `needs at least ${limit} items` : `takes at most ${limit} items`;
  }
  const bound = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  return `must be ${bound} ${limit}, got ${describeValue(value)}`;
}

function describeFormat(issue: Extract<ZodIssue, { code: 'invalid_format' }>): string {
  if ('prefix' in issue && typeof issue.prefix === 'string') return `must start with "${issue.prefix}"`;
  if ('suffix' in issue && typeof issue.suffix === 'string') return `must end with "${issue.suffix}"`;
  // Our schemas word their own messages; zod's defaults all start with "Invalid".
  if (!issue.message.startsWith('Invalid')) return issue.message;
  return `not a valid ${issue.format}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

function expectedType(expected: string): string {
  return TYPE_NAMES[expected] ?? withArticle(expected);
}

/** A value as it appears in a message: strings quoted (escaped and shortened), containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quoted(value, 40);
  return String(value);
}

function formatLiteral(value: unknown): string {
  return typeof value === 'string' ? quoted(value) : String(value);
}

function withHint(issue: PathIssue, hint: string | undefined): PathIssue {
  return hint === undefined ? issue : { ...issue, hint };
}
