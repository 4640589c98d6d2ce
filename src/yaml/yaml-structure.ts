import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/**
 * One walk over a parsed YAML document, in document order, that learns what reading it will
 * cost before anything is expanded: where each alias points (the last anchor of its name
 * before it, found by lookup rather than by searching the document for every alias), which
 * keys repeat in a mapping, how deeply it nests, and how many values expanding every alias
 * would add. Linear in the size of the document, whatever its aliases.
 */

/** Deeper than any playbook or compose file; bounds every recursion over the document. */
export const MAX_NESTING = 200;

export interface StructureProblem {
  node: Node;
  kind: 'duplicate-key' | 'no-anchor' | 'self-alias' | 'too-deep';
  /** For duplicate keys: the key as written, and the key it repeats. */
  key?: string;
  first?: Node;
  alias?: string;
}

export interface DocumentStructure {
  /** Where each alias points; absent when it has no anchor. */
  targets: Map<Alias, Node>;
  /** Later pairs that repeat a key of the same mapping; reading keeps the first. */
  repeatedPairs: Set<Pair>;
  problems: StructureProblem[];
  /** Values in the document as written, and once every alias is expanded. */
  written: number;
  expanded: number;
  firstAlias?: Alias;
}

export function walkStructure(doc: Document): DocumentStructure {
  const walk = new StructureWalk();
  walk.visit(doc.contents, 0);
  return walk.result();
}

/**
 * The text a scalar key stands for in the plain data (yaml turns a null key into ""); undefined
 * for other keys, and for the `<<` of merge keys (yaml reads it as a symbol), which may repeat.
 */
export function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  return typeof value === 'symbol' ? undefined : String(value ?? '');
}

class StructureWalk {
  private readonly anchors = new Map<string, Node>();
  private readonly targets = new Map<Alias, Node>();
  private readonly repeatedPairs = new Set<Pair>();
  private readonly problems: StructureProblem[] = [];
  /** Expanded size of each collection, once its walk is done. */
  private readonly sizes = new Map<Node, number>();
  private readonly open = new Set<Node>();
  private written = 0;
  private firstAlias: Alias | undefined;
  private tooDeep = false;
  /** Values aliases add beyond what is written (each alias counts once as written). */
  private added = 0;

  result(): DocumentStructure {
    const expanded = this.written + this.added;
    return {
      targets: this.targets,
      repeatedPairs: this.repeatedPairs,
      problems: this.problems,
      written: this.written,
      expanded,
      ...(this.firstAlias ? { firstAlias: this.firstAlias } : {}),
    };
  }

  /** Walks a node as written; returns its size with aliases expanded. */
  visit(node: unknown, depth: number): number {
    if (node === null || node === undefined || typeof node !== 'object') return 0;
    this.written++;
    if (isAlias(node)) return this.aliasSize(node);
    const anchored = node as Node;
    if ('anchor' in anchored && typeof anchored.anchor === 'string' && anchored.anchor !== '') this.anchors.set(anchored.anchor, anchored);
    if (!isMap(node) && !isSeq(node)) return 1;
    if (depth >= MAX_NESTING) {
      if (!this.tooDeep) this.problems.push({ node, kind: 'too-deep' });
      this.tooDeep = true;
      return 1;
    }
    this.open.add(node);
    let size = 1;
    if (isMap(node)) {
      this.findRepeatedKeys(node);
      for (const pair of node.items) size += this.visit(pair.key, depth + 1) + this.visit(pair.value, depth + 1);
    } else {
      for (const item of node.items)
        size += isPair(item) ? this.visit(item.key, depth + 1) + this.visit(item.value, depth + 1) : this.visit(item, depth + 1);
    }
    this.open.delete(node);
    this.sizes.set(node, size);
    return size;
  }

  private aliasSize(alias: Alias): number {
    this.firstAlias ??= alias;
    const target = this.anchors.get(alias.source);
    if (!target) {
      this.problems.push({ node: alias, kind: 'no-anchor', alias: alias.source });
      return 1;
    }
    this.targets.set(alias, target);
    if (this.open.has(target)) {
      this.problems.push({ node: alias, kind: 'self-alias', alias: alias.source });
      return 1;
    }
    // Anchors come before their aliases, so the target's size is known (a scalar is 1).
    const size = this.sizes.get(target) ?? 1;
    this.added += size - 1;
    return size;
  }

  private findRepeatedKeys(map: YAMLMap): void {
    const seen = new Map<string, Node>();
    for (const pair of map.items) {
      const key = keyText(pair.key);
      if (key === undefined) continue;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, pair.key as Node);
      else {
        this.repeatedPairs.add(pair);
        this.problems.push({ node: pair.key as Node, kind: 'duplicate-key', key, first });
      }
    }
  }
}
