import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type YAMLError } from 'yaml';
import { positionAt, type Position } from './positions.js';

/**
 * YAML parsing for files firedrill reads (playbooks, compose files) that refuses what a
 * hostile or broken file could do to us: syntax errors and duplicate keys are reported
 * with positions, and anchors/aliases may not expand beyond a fixed size ("alias bombs")
 * or refer to themselves.
 */

export interface YamlLimits {
  /** Most values that expanding every alias may add to the document as written. */
  maxAddedByAliases: number;
  /** Passed to yaml's toJS: caps alias use relative to the document's size. */
  maxAliasCount: number;
  /** Honour `<<: *anchor` merge keys (compose files use them; playbooks do not). */
  merge: boolean;
}

export interface YamlProblem {
  position: Position;
  message: string;
  hint?: string;
}

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** Every problem found; when there is any, `data` is undefined. */
  problems: YamlProblem[];
  /** The plain JavaScript value (undefined for an empty document or when there were problems). */
  data?: unknown;
}

export function parseYaml(source: string, limits: YamlLimits): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, merge: limits.merge });
  const problems = [...doc.errors, ...doc.warnings].map((error) => describeYamlError(error, doc, lineCounter));
  if (problems.length > 0) return { doc, lineCounter, problems };

  const aliases = checkAliases(doc, lineCounter, limits.maxAddedByAliases);
  if (aliases.problems.length > 0) return { doc, lineCounter, problems: aliases.problems };
  try {
    return { doc, lineCounter, problems, data: doc.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (error) {
    // yaml throws ReferenceError when aliases are used far more than the document's size justifies.
    const message = error instanceof Error ? lowerFirst(error.message) : String(error);
    problems.push({ position: aliases.firstAlias ?? { line: 1, column: 1 }, message: `refused to expand the document's aliases: ${message}`, hint: 'use fewer "*alias" references' });
    return { doc, lineCounter, problems };
  }
}

function describeYamlError(error: YAMLError, doc: Document, lineCounter: LineCounter): YamlProblem {
  const position = positionAt(lineCounter, error.pos[0]);
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return describeDuplicateKey(error.pos[0], doc, lineCounter) ?? { position, message: 'duplicate key' };
    case 'MULTIPLE_DOCS':
      return { position, message: 'a second YAML document starts here; the file must hold exactly one', hint: 'remove the "---" line, or split the file' };
    case 'TAB_AS_INDENT':
      return { position, message: 'a tab is used for indentation', hint: 'YAML indents with spaces only' };
    case 'TAG_RESOLVE_FAILED':
      return { position, message: `invalid YAML: ${lowerFirst(error.message)}`, hint: 'custom tags are not supported; remove the "!" tag' };
    default:
      return { position, message: `invalid YAML: ${lowerFirst(error.message)}` };
  }
}

/** Names the repeated key and where it first appeared in the same mapping. */
function describeDuplicateKey(offset: number, doc: Document, lineCounter: LineCounter): YamlProblem | undefined {
  let problem: YamlProblem | undefined;
  visit(doc, {
    Map(_, map) {
      const repeated = map.items.find((pair) => isScalar(pair.key) && pair.key.range?.[0] === offset)?.key;
      if (!isScalar(repeated)) return undefined;
      const first = map.items.find((pair) => isScalar(pair.key) && pair.key.value === repeated.value)?.key;
      const firstLine = isScalar(first) && first.range ? positionAt(lineCounter, first.range[0]).line : undefined;
      problem = {
        position: positionAt(lineCounter, offset),
        message: `duplicate key "${String(repeated.value)}"`,
        hint: firstLine === undefined ? 'a key may appear once per mapping' : `first given on line ${firstLine}; a key may appear once per mapping`,
      };
      return visit.BREAK;
    },
  });
  return problem;
}

/**
 * Counts the values aliases add to the document once expanded, without expanding anything
 * (sizes are memoised per node), and reports aliases with no anchor or that contain
 * themselves. A large document without aliases is not an alias bomb: only the growth counts.
 */
function checkAliases(doc: Document, lineCounter: LineCounter, maxAdded: number): { problems: YamlProblem[]; firstAlias?: Position } {
  const problems: YamlProblem[] = [];
  const at = (node: Node) => positionAt(lineCounter, node.range?.[0] ?? 0);
  const walk = new ExpansionWalk(doc, (node, message, hint) => problems.push({ position: at(node), message, ...(hint ? { hint } : {}) }));
  try {
    const added = walk.sizeOf(doc.contents) - walk.written;
    if (added > maxAdded && problems.length === 0) {
      problems.push({
        position: walk.firstAlias ? at(walk.firstAlias) : { line: 1, column: 1 },
        message: `the document's aliases expand it by ${added} values, more than the ${maxAdded} allowed`,
        hint: 'this looks like an alias bomb; use fewer "*alias" references',
      });
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.push({ position: { line: 1, column: 1 }, message: 'the document is nested too deeply to be read' });
  }
  return { problems, firstAlias: walk.firstAlias ? at(walk.firstAlias) : undefined };
}

type AliasComplaint = (alias: Node, message: string, hint?: string) => void;

/** Sizes of nodes with aliases expanded; `written` counts the nodes as they appear in the text. */
class ExpansionWalk {
  written = 0;
  firstAlias: Node | undefined;
  private readonly sizes = new Map<Node, number>();
  private readonly inProgress = new Set<Node>();

  constructor(
    private readonly doc: Document,
    private readonly complain: AliasComplaint,
  ) {}

  sizeOf(node: unknown, viaAlias = false): number {
    if (isAlias(node)) return this.aliasSize(node, viaAlias);
    if (!viaAlias) this.written++;
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    this.inProgress.add(node);
    let size = 1;
    for (const item of node.items) size += isPair(item) ? this.sizeOf(item.key, viaAlias) + this.sizeOf(item.value, viaAlias) : this.sizeOf(item, viaAlias);
    this.inProgress.delete(node);
    this.sizes.set(node, size);
    return size;
  }

  private aliasSize(alias: Alias, viaAlias: boolean): number {
    if (!viaAlias) this.written++;
    this.firstAlias ??= alias;
    const target = alias.resolve(this.doc);
    if (!target) {
      this.complain(alias, `alias "*${alias.source}" has no anchor`, `define "&${alias.source}" before using it`);
      return 1;
    }
    if (this.inProgress.has(target)) {
      this.complain(alias, `alias "*${alias.source}" refers to the node that contains it`);
      return 1;
    }
    return this.sizeOf(target, true);
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
