import { Document, isCollection, isScalar, Lexer, parseDocument, Scalar, visit, type Node, type YAMLError } from 'yaml';
import { cut, escapeControl, quoted } from '../words/input-text.js';
import { LineIndex, positionAt, type Position } from './positions.js';
import { toPlainData } from './yaml-data.js';
import { MAX_NESTING, walkStructure, type DocumentStructure } from './yaml-structure.js';

/**
 * YAML parsing for files firedrill reads (playbooks, compose files) that refuses what a
 * hostile or broken file could do to us: syntax errors and duplicate keys are reported
 * with positions, and anchors/aliases may not expand beyond a fixed size ("alias bombs")
 * or refer to themselves. Every step is linear in the size of the text.
 *
 * Some problems leave the document readable (a repeated key: the first value counts; a
 * second document: the first counts; a tag or escape yaml does not know: the text counts).
 * Those are marked `recoverable` and the data is still given, so the checks of what the
 * document says can run in the same pass.
 */

export interface YamlLimits {
  /** Most values that expanding every alias may add to the document as written. */
  maxAddedByAliases: number;
  /** Honour `<<: *anchor` merge keys (compose files use them; playbooks do not). */
  merge: boolean;
  /**
   * Most YAML tokens (keys, values, punctuation) read. The library's parse costs time and
   * memory per token; counting them with its lexer first is cheap and bounds both.
   */
  maxTokens?: number;
  /**
   * Ignored. It capped alias use in yaml's own conversion to data, which is no longer used
   * (it searched the whole document for every alias); `maxAddedByAliases` bounds expansion.
   */
  maxAliasCount?: number;
}

export interface YamlProblem {
  position: Position;
  message: string;
  hint?: string;
  /** The document can still be read despite this problem; `data` is given. */
  recoverable: boolean;
}

export interface ParsedYaml {
  doc: Document;
  /** Line starts of the source, for positions. */
  lines: LineIndex;
  /** Every problem found. */
  problems: YamlProblem[];
  /**
   * The plain JavaScript value (null for an empty document); undefined when a problem
   * that is not recoverable leaves the document unreadable.
   */
  data?: unknown;
}

/** yaml error codes after which the document is still read as its author meant. */
const RECOVERABLE = new Set(['MULTIPLE_DOCS', 'TAG_RESOLVE_FAILED', 'BAD_DQ_ESCAPE', 'KEY_OVER_1024_CHARS', 'BAD_DIRECTIVE']);

export function parseYaml(source: string, limits: YamlLimits): ParsedYaml {
  const lines = new LineIndex(source);
  const at = (offset: number) => positionAt(lines, offset);
  if (limits.maxTokens !== undefined && countTokens(source, limits.maxTokens) > limits.maxTokens) {
    const message = `the document holds more than ${limits.maxTokens.toLocaleString('en')} YAML tokens (keys, values and punctuation), more than firedrill reads`;
    return {
      doc: new Document(),
      lines,
      problems: [{ position: { line: 1, column: 1 }, message, hint: 'is this the right file?', recoverable: false }],
    };
  }
  const doc = parseDocument(source, { uniqueKeys: false, prettyErrors: false, strict: true, merge: limits.merge, logLevel: 'error' });
  const problems = [...doc.errors, ...doc.warnings].map((error) => describeYamlError(error, doc, source, at));

  const structure = walkStructure(doc);
  problems.push(...describeStructure(structure, at));
  const readable = problems.every((problem) => problem.recoverable);
  if (!readable) return { doc, lines, problems: byPosition(problems) };

  const added = structure.expanded - structure.written;
  if (added > limits.maxAddedByAliases) {
    const position = structure.firstAlias ? at(structure.firstAlias.range?.[0] ?? 0) : { line: 1, column: 1 };
    const message = `the document's aliases expand it by ${added} values, more than the ${limits.maxAddedByAliases} allowed`;
    problems.push({ position, message, hint: 'this looks like an alias bomb; use fewer "*alias" references', recoverable: false });
    return { doc, lines, problems: byPosition(problems) };
  }

  const { data, mergeProblems } = toPlainData(doc.contents, structure, limits);
  for (const { node } of mergeProblems) {
    problems.push({
      position: at(node.range?.[0] ?? 0),
      message: 'a merge key "<<" takes a mapping or a list of mappings; this one is ignored',
      recoverable: true,
    });
  }
  return { doc, lines, problems: byPosition(problems), data };
}

function describeStructure(structure: DocumentStructure, at: (offset: number) => Position): YamlProblem[] {
  const where = (node: Node) => at(node.range?.[0] ?? 0);
  const tooDeep = structure.problems.find((problem) => problem.kind === 'too-deep');
  if (tooDeep) {
    return [
      {
        position: where(tooDeep.node),
        message: `the document nests more than ${MAX_NESTING} levels deep here`,
        hint: 'no playbook or compose file needs that many',
        recoverable: false,
      },
    ];
  }
  return structure.problems.map((problem): YamlProblem => {
    switch (problem.kind) {
      case 'duplicate-key': {
        const firstLine = problem.first ? where(problem.first).line : undefined;
        const hint =
          firstLine === undefined
            ? 'a key may appear once per mapping'
            : `first given on line ${firstLine}; a key may appear once per mapping`;
        return { position: where(problem.node), message: `duplicate key ${quoted(problem.key ?? '')}`, hint, recoverable: true };
      }
      case 'no-anchor': {
        const name = cut(problem.alias ?? '');
        return {
          position: where(problem.node),
          message: `alias ${quoted(`*${name}`)} has no anchor`,
          hint: `define ${quoted(`&${name}`)} before using it`,
          recoverable: false,
        };
      }
      default:
        return {
          position: where(problem.node),
          message: `alias ${quoted(`*${cut(problem.alias ?? '')}`)} refers to the node that contains it`,
          recoverable: false,
        };
    }
  });
}

function describeYamlError(error: YAMLError, doc: Document, source: string, at: (offset: number) => Position): YamlProblem {
  const offset = error.pos[0];
  const recoverable = RECOVERABLE.has(error.code);
  const position = at(error.code === 'TAB_AS_INDENT' ? offset : nextToken(source, offset));
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return {
        position,
        message: 'a second YAML document starts here; the file must hold exactly one',
        hint: 'remove the "---" line, or split the file',
        recoverable,
      };
    case 'TAB_AS_INDENT':
      return { position, message: 'a tab is used for indentation', hint: 'YAML indents with spaces only', recoverable };
    case 'TAG_RESOLVE_FAILED':
      return {
        position,
        message: `invalid YAML: ${libraryMessage(error.message)}`,
        hint: 'custom tags are not supported; remove the "!" tag',
        recoverable,
      };
    case 'RESOURCE_EXHAUSTION':
      return {
        position,
        message: 'the document nests too deeply to be read',
        hint: 'no playbook or compose file needs that many levels',
        recoverable,
      };
    default:
      return (
        unclosedAt(error, doc, source, at) ?? {
          position,
          message: `invalid YAML: ${libraryMessage(error.message)}`,
          ...misalignedHint(error, doc, at),
          recoverable,
        }
      );
  }
}

/**
 * Two items of one mapping or list at different columns: yaml reports the later one, but
 * either may be the one out of line, so the hint names where the collection begins.
 */
function misalignedHint(error: YAMLError, doc: Document, at: (offset: number) => Position): { hint?: string } {
  if (!/must start at the same column/.test(error.message)) return {};
  const offset = error.pos[0];
  const start = innermost(doc, (node) => isCollection(node) && !node.flow && node.range![0] < offset && offset <= node.range![2]);
  if (start === undefined) return {};
  const first = at(start);
  return { hint: `its first item is at line ${first.line}, column ${first.column}; indent every item to the same column` };
}

/**
 * yaml places some problems with a collection where its value begins, which can be the end
 * of the line before the token at fault; blanks are never at fault, so the problem is put on
 * the next character that is not one (or left where it is at the end of the file).
 */
function nextToken(source: string, offset: number): number {
  let at = offset;
  while (at < source.length && (source[at] === ' ' || source[at] === '\n' || source[at] === '\r')) at++;
  return at < source.length ? at : offset;
}

/**
 * yaml reports an unclosed "[", "{" or quote where it gave up looking for the end (often the
 * end of the file); the place to fix is where it was opened.
 */
function unclosedAt(error: YAMLError, doc: Document, source: string, at: (offset: number) => Position): YamlProblem | undefined {
  const offset = error.pos[0];
  const flow = /^Flow (sequence|map)\b/.exec(error.message);
  if (flow && (error.code === 'BAD_INDENT' || error.code === 'MISSING_CHAR')) {
    const [open, close, noun] = flow[1] === 'map' ? ['{', '}', 'mapping'] : ['[', ']', 'list'];
    const opened = innermost(doc, (node) => isCollection(node) && node.range?.[1] === offset && source[node.range[0]] === open);
    if (!opened) return undefined;
    const indent = error.code === 'BAD_INDENT' ? `, and indent the lines inside it more than the line it starts on` : '';
    return {
      position: at(opened),
      message: `invalid YAML: the ${noun} opened here with "${open}" is not closed`,
      hint: `end it with "${close}"${indent}`,
      recoverable: false,
    };
  }
  const quote = /^Missing closing (["'])quote/.exec(error.message);
  if (quote && error.code === 'MISSING_CHAR') {
    const type = quote[1] === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    const opened = innermost(doc, (node) => isScalar(node) && node.type === type && node.range?.[1] === offset);
    if (opened === undefined) return undefined;
    return {
      position: at(opened),
      message: `invalid YAML: the string opened here with ${quote[1]} is not closed`,
      hint: `end it with ${quote[1]}`,
      recoverable: false,
    };
  }
  return undefined;
}

/** Where the last-starting node that `matches` starts (the innermost of nested ones). */
function innermost(doc: Document, matches: (node: Node) => boolean): number | undefined {
  let start: number | undefined;
  visit(doc, (_, node) => {
    // Pairs have no range; an empty value is null.
    const range = (node as Node | null)?.range;
    if (range && matches(node as Node) && (start === undefined || range[0] > start)) start = range[0];
  });
  return start;
}

/**
 * yaml's own message in our style: lower-case start, the source text it quotes cut and
 * escaped like any echoed input, the whole kept to one short line.
 */
function libraryMessage(text: string): string {
  const requoted = text.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
    try {
      return quoted(String(JSON.parse(literal)));
    } catch {
      return literal;
    }
  });
  const plain = requoted.replace(/^Unexpected (\S+) token in YAML stream: /, 'unexpected ').replace(/ at line \d+, column \d+.*$/s, '');
  return escapeControl(cut(plain.charAt(0).toLowerCase() + plain.slice(1), 200));
}

/** Tokens in `text`, counting no further than one past `limit`. */
function countTokens(text: string, limit: number): number {
  let count = 0;
  for (const _ of new Lexer().lex(text)) if (++count > limit) break;
  return count;
}

function byPosition(problems: YamlProblem[]): YamlProblem[] {
  return problems.toSorted((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}
