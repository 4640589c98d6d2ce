/**
 * A small YAML writer for the files `firedrill init` scaffolds: block style, with comments
 * where a reader needs them, short lists of scalars in flow style, and long prose folded.
 * yaml's own stringify cannot place comments this freely; this writer quotes every string
 * that could be read as anything but itself, so what it writes parses back to what it was given.
 */

export type YamlScalar = string | number | boolean;
export type YamlValue = YamlScalar | YamlValue[] | YamlMap | Commented | Folded;
export interface YamlMap {
  [key: string]: YamlValue | undefined;
}

/** A value with comment lines written just above its key (or its `-` in a list). */
export class Commented {
  constructor(
    readonly comment: readonly string[],
    readonly value: YamlValue,
  ) {}
}

/** A long string written as a folded block (`>-`), wrapped at the writer's width. */
export class Folded {
  constructor(readonly text: string) {}
}

export const commented = (comment: string | readonly string[], value: YamlValue): Commented =>
  new Commented(typeof comment === 'string' ? [comment] : comment, value);

export const folded = (text: string): Folded => new Folded(text);

const WIDTH = 96;
const INDENT = '  ';

/** The lines of a mapping at the top level of a document (no trailing newline). */
export function yamlLines(map: YamlMap, indent = ''): string[] {
  const lines: string[] = [];
  for (const [key, raw] of Object.entries(map)) {
    if (raw === undefined) continue;
    const { comment, value } = unwrap(raw);
    lines.push(...commentLines(comment, indent));
    lines.push(...entryLines(`${indent}${plainKey(key)}:`, value, indent));
  }
  return lines;
}

function entryLines(head: string, value: YamlValue, indent: string): string[] {
  if (value instanceof Folded)
    return [`${head} >-`, ...wrap(value.text, WIDTH - indent.length - 2).map((line) => `${indent}${INDENT}${line}`)];
  if (isScalar(value)) return [`${head} ${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every(isScalar)) return [`${head} ${flowList(value as YamlScalar[])}`];
    return [head, ...listLines(value, indent + INDENT)];
  }
  const entries = Object.values(value).filter((v) => v !== undefined);
  if (entries.length === 0) return [`${head} {}`];
  return [head, ...yamlLines(value as YamlMap, indent + INDENT)];
}

function listLines(items: YamlValue[], indent: string): string[] {
  const lines: string[] = [];
  for (const raw of items) {
    const { comment, value } = unwrap(raw);
    lines.push(...commentLines(comment, indent));
    if (isMap(value)) {
      // The first key goes on the dash's line; the rest line up under it.
      const inner = yamlLines(value, `${indent}${INDENT}`);
      const first = inner.findIndex((line) => !line.trimStart().startsWith('#'));
      lines.push(...inner.slice(0, first), `${indent}- ${inner[first]!.slice(indent.length + INDENT.length)}`, ...inner.slice(first + 1));
    } else if (Array.isArray(value) && !value.every(isScalar)) {
      lines.push(`${indent}-`, ...listLines(value, indent + INDENT));
    } else {
      lines.push(...entryLines(`${indent}-`, value, indent));
    }
  }
  return lines;
}

function unwrap(value: YamlValue): { comment: readonly string[]; value: YamlValue } {
  return value instanceof Commented ? { comment: value.comment, value: value.value } : { comment: [], value };
}

/** Comment lines, each wrapped to the writer's width (an empty line stays a bare "#"). */
function commentLines(comment: readonly string[], indent: string): string[] {
  const width = WIDTH - indent.length - 2;
  return comment
    .flatMap((text) => text.split('\n'))
    .flatMap((line) => (line.length > width ? wrap(line, width) : [line]))
    .map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`));
}

function isScalar(value: YamlValue): value is YamlScalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isMap(value: YamlValue): value is YamlMap {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Folded) && !(value instanceof Commented);
}

function flowList(items: YamlScalar[]): string {
  return `[${items.map(scalar).join(', ')}]`;
}

/**
 * Plain when nothing could misread it (in block and flow context alike: no `,[]{}#:"` and
 * nothing YAML reads as a number, a boolean or null), otherwise double-quoted (JSON's quoting
 * is valid YAML).
 */
export function scalar(value: YamlScalar): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z0-9_./][A-Za-z0-9_./ '()-]*$/.test(value) &&
    !/ $/.test(value) &&
    !RESERVED.has(value.toLowerCase()) &&
    !NUMBER_LIKE.test(value);
  return plain ? value : JSON.stringify(value);
}

// Integers, decimals and exponents (with YAML 1.1's "_" separators), hex and octal, .inf and .nan.
const NUMBER_LIKE = /^([-+]?[0-9_]*\.?[0-9_]*([eE][-+]?[0-9]+)?|0x[0-9a-f_]+|0o?[0-7_]+|\.(inf|nan))$/i;

function plainKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && !RESERVED.has(key.toLowerCase()) ? key : JSON.stringify(key);
}

// Words YAML 1.1 or 1.2 reads as booleans or null; quoted so that every reader agrees.
const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~']);

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
