import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

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

/** `steps[2].wait.every`; keys that are not plain names are quoted: `regions["eu west"]`. */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment))) text += text ? `.${String(segment)}` : String(segment);
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** `steps[2].wait: ` before a message, or nothing for the document itself. */
export function pathPrefix(path: YamlPath): string {
  return path.length === 0 ? '' : `${formatPath(path)}: `;
}

export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where `path` points in the document. When the path does not exist (a missing key, a
 * key zod invented), the nearest existing ancestor is used: its key when it has one
 * (`wait:`), otherwise where its value starts (the first key of a list item's mapping).
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: YamlPath, at: 'key' | 'value' = 'value'): Position {
  const chain = locate(doc, path);
  const found = chain.length === path.length + 1;
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const { key, value } = chain[depth]!;
    const preferKey = at === 'key' || !found || depth < chain.length - 1 || isEmpty(value);
    const offset = preferKey ? (startOf(key) ?? startOf(value)) : (startOf(value) ?? startOf(key));
    if (offset !== undefined) return positionAt(lineCounter, offset);
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
    // Keys compare as the plain data has them: yaml turns a null key into "".
    const pair = container.items.find((item) => isScalar(item.key) && String(item.key.value ?? '') === String(segment));
    return pair ? { key: asNode(pair.key), value: asNode(pair.value) } : undefined;
  }
  if (isSeq(container) && typeof segment === 'number') {
    const item = asNode(container.items[segment]);
    return item ? { value: item } : undefined;
  }
  return undefined;
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
