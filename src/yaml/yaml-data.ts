import { isAlias, isMap, isScalar, isSeq, type Alias, type Node, type Pair } from 'yaml';
import type { DocumentStructure } from './yaml-structure.js';

/**
 * A parsed YAML document as plain JavaScript data, as yaml's `toJS()` gives it, but with
 * aliases looked up in the walk's table (yaml searches the document again for each alias,
 * which is quadratic) and, where a key repeats, its first value kept (positions point at
 * the first too). An aliased node becomes one shared value, converted once.
 * Call only after walkStructure found no problem that makes the document unreadable (an
 * alias with no anchor or inside itself, nesting deeper than MAX_NESTING).
 */

export interface DataOptions {
  /** Honour `<<: *anchor` merge keys. */
  merge: boolean;
}

/** A merge key whose value is not a mapping or a list of mappings: reported, then ignored. */
export interface MergeProblem {
  node: Node;
}

export function toPlainData(
  contents: unknown,
  structure: DocumentStructure,
  options: DataOptions,
): { data: unknown; mergeProblems: MergeProblem[] } {
  const conversion = new Conversion(structure, options);
  return { data: conversion.value(contents), mergeProblems: conversion.mergeProblems };
}

class Conversion {
  readonly mergeProblems: MergeProblem[] = [];
  private readonly done = new Map<Node, unknown>();

  constructor(
    private readonly structure: DocumentStructure,
    private readonly options: DataOptions,
  ) {}

  value(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.aliased(node);
    const known = this.done.get(node as Node);
    if (known !== undefined || this.done.has(node as Node)) return known;
    const value = this.convert(node);
    if ((node as { anchor?: string }).anchor) this.done.set(node as Node, value);
    return value;
  }

  private aliased(alias: Alias): unknown {
    const target = this.structure.targets.get(alias);
    return target === undefined ? null : this.value(target);
  }

  private convert(node: unknown): unknown {
    if (isScalar(node)) return plainScalar(node.value);
    if (isSeq(node)) return node.items.map((item) => this.value(item));
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) this.addPair(object, pair as Pair);
      return object;
    }
    return null;
  }

  private addPair(object: Record<string, unknown>, pair: Pair): void {
    if (this.structure.repeatedPairs.has(pair)) return;
    if (this.options.merge && isMergeKey(pair.key)) {
      this.merge(object, pair.value as Node);
      return;
    }
    // Explicit keys win over merged ones, whatever their order.
    define(object, this.keyOf(pair.key), this.value(pair.value));
  }

  /** Adds the keys of the merged mapping(s) that the object does not have yet. */
  private merge(object: Record<string, unknown>, value: Node | null): void {
    const source = isAlias(value) ? this.structure.targets.get(value) : value;
    const sources = isSeq(source) ? source.items.map((item) => (isAlias(item) ? this.structure.targets.get(item) : item)) : [source];
    for (const mapping of sources) {
      const merged = isMap(mapping) ? this.value(mapping) : undefined;
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) {
        if (value) this.mergeProblems.push({ node: value });
        continue;
      }
      for (const [key, item] of Object.entries(merged)) if (!Object.hasOwn(object, key)) define(object, key, item);
    }
  }

  private keyOf(key: unknown): string {
    const value = this.value(key);
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

function plainScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'symbol') return value.description ?? '';
  return value;
}

/** `object[key] = value`, also for "__proto__" and keys the object already has (as yaml does). */
function define(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key in object) Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
