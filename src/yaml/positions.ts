import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { quoted } from '../words/input-text.js';

/**
 * Paths into a parsed YAML document (as zod reports them: keys and list indices)
 * and the line:column each one points at.
 */

export type YamlPath = readonly PropertyKey[];

/** 1-based, as editors and compilers print them. */
export interface Position {
  line: number;
  column: number;
}

/**
 * A problem found at a path of the document, before it is given a line and column.
 * `at: 'key'` points at the key itself (unknown keys, duplicate ids); the default points
 * at the value, falling back to its key when the value is empty.
 */
export interface PathIssue {
  path: YamlPath;
  message: string;
  hint?: string;
  at?: 'key' | 'value';
}

/**
 * `steps[2].wait.every`; keys that are not plain names are quoted: `regions["eu west"]`
 * (escaped and cut like any text from the input).
 */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]{0,59}$/.test(String(segment))) text += text ? `.${String(segment)}` : String(segment);
    else text += `[${quoted(String(segment))}]`;
  }
  return text;
}

/** `steps[2].wait: ` before a message, or nothing for the document itself. */
export function pathPrefix(path: YamlPath): string {
  return path.length === 0 ? '' : `${formatPath(path)}: `;
}

/** Turns offsets into line:column (yaml's own LineCounter, or a LineIndex). */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

export function positionAt(lines: LinePositions, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/**
 * Line starts of a text, for positions that are always inside it: lines end at "\n" (as
 * for yaml), and an offset at or past the end is put at the end of the last line, so a
 * problem found at the end of a file is never placed on a line the file does not have.
 */
export class LineIndex implements LinePositions {
  private readonly starts: number[] = [0];
  private readonly end: number;

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    // A final newline ends the last line rather than starting an empty one.
    if (this.starts.length > 1 && this.starts.at(-1) === text.length) this.starts.pop();
    this.end = text.endsWith('\n') ? text.length - 1 : text.length;
  }

  linePos(offset: number): { line: number; col: number } {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.end));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: at - this.starts[low]! + 1 };
  }
}

/**
 * Where `path` points in the document. When the path does not exist (a missing key, a
 * key zod invented), the nearest existing ancestor is used: its key when it has one
 * (`wait:`), otherwise where its value starts (the first key of a list item's mapping).
 */
export function positionOf(doc: Document, lines: LinePositions, path: YamlPath, at: 'key' | 'value' = 'value'): Position {
  const chain = locate(doc, path);
  const found = chain.length === path.length + 1;
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const { key, value } = chain[depth]!;
    const preferKey = at === 'key' || !found || depth < chain.length - 1 || isEmpty(value);
    const offset = preferKey ? (startOf(key) ?? startOf(value)) : (startOf(value) ?? startOf(key));
    if (offset !== undefined) return positionAt(lines, offset);
  }
  return { line: 1, column: 1 };
}

interface Located {
  key?: Node;
  value?: Node;
}

/** The nodes along `path`, root first; shorter than the path when a segment is missing. */
function locate(doc: Document, path: YamlPath): Located[] {
  const chain: Located[] = [{ value: asNode(doc.contents) }];
  let current = asNode(doc.contents);
  for (const segment of path) {
    const container = isAlias(current) ? asNode(current.resolve(doc)) : current;
    const next = child(container, segment);
    if (!next) break;
    chain.push(next);
    current = next.value;
  }
  return chain;
}

function child(container: Node | undefined, segment: PropertyKey): Located | undefined {
  if (isMap(container)) {
    const pair = pairsByKey(container).get(String(segment));
    return pair ? { key: asNode(pair.key), value: asNode(pair.value) } : undefined;
  }
  if (isSeq(container) && typeof segment === 'number') {
    const item = asNode(container.items[segment]);
    return item ? { value: item } : undefined;
  }
  return undefined;
}

// A mapping with 50,000 keys and a problem at each must not be searched 50,000 times.
const indexed = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A mapping's pairs by key as the plain data has them (yaml turns a null key into ""); the first pair wins. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = indexed.get(map);
  if (index) return index;
  index = new Map();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value ?? '') : undefined;
    if (key !== undefined && !index.has(key)) index.set(key, pair);
  }
  indexed.set(map, index);
  return index;
}

function asNode(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' && 'range' in value ? (value as Node) : undefined;
}

/** `key:` with nothing after it parses as a zero-width null scalar; point at the key instead. */
function isEmpty(node: Node | undefined): boolean {
  if (!node) return true;
  const range = node.range;
  return isScalar(node) && node.value === null && !!range && range[0] === range[1];
}

function startOf(node: Node | undefined): number | undefined {
  return node?.range ? node.range[0] : undefined;
}
