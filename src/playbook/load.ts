import { dirname, resolve } from 'node:path';
import type { Document } from 'yaml';
import { PlaybookError, type PlaybookIssue } from '../errors.js';
import { composeProjectName, readComposeFile } from './compose-file.js';
import { cut, escapeControl, quoted } from '../words/input-text.js';
import { parseYaml, type YamlLimits } from '../yaml/parse-yaml.js';
import { pathPrefix, positionOf, type LinePositions, type PathIssue } from '../yaml/positions.js';
import { checkReferences, knownTopology, type KnownTopology } from './references.js';
import { playbookSchema, type Playbook } from './schema.js';
import { describeSchemaIssues } from './schema-issues.js';
import { validAt, valueAt } from './schema-shape.js';
import { MIB, readSourceFile } from '../yaml/source-file.js';

/**
 * Loads a playbook and reports every problem in one pass, each at its line:column: the file
 * itself, YAML syntax, the schema, and references (fault ids, and services and regions
 * against the compose file). A file that cannot be read, or YAML that cannot be read as
 * its author meant, stops there; otherwise every check runs, whatever the others found:
 * the schema despite a repeated key, references in every part that is valid where it stands.
 * Nothing here talks to Docker.
 */

export interface LoadedPlaybook {
  /** The path as given. */
  file: string;
  /** Absolute path. */
  path: string;
  /** Directory of the playbook; relative paths in it resolve against this. */
  dir: string;
  source: string;
  /** Hex SHA-256 of the exact bytes read. */
  sha256: string;
  playbook: Playbook;
  /** Absolute path of the compose file, when the playbook names one. */
  composeFile?: string;
  /** Compose project name: explicit, or derived from the compose file as compose does. */
  project: string;
}

export interface PlaybookValidation {
  file: string;
  issues: PlaybookIssue[];
}

export const MAX_PLAYBOOK_BYTES = MIB;
/**
 * Fifty times the largest playbook we know (the bundled region-loss drill has about 1,000
 * tokens), as for compose files. Reading costs time and memory per token; within this, any
 * playbook is answered within about 2 s and 200 MB (bench/validate-inputs.mjs).
 */
export const MAX_PLAYBOOK_TOKENS = 50_000;
const PLAYBOOK_YAML_LIMITS: YamlLimits = { maxAddedByAliases: 20_000, maxTokens: MAX_PLAYBOOK_TOKENS, merge: false };
/** Longer messages are cut: every message stays one readable line whatever the input. */
const MAX_MESSAGE_LENGTH = 1000;

/** Throws PlaybookError with every issue found. */
export async function loadPlaybook(file: string): Promise<LoadedPlaybook> {
  const { issues, loaded } = await inspectPlaybook(file, { load: true });
  if (!loaded) throw new PlaybookError(issues);
  return loaded;
}

/** Checks each file the way loadPlaybook does, collecting issues instead of throwing. */
export async function validatePlaybooks(files: string[]): Promise<PlaybookValidation[]> {
  const results: PlaybookValidation[] = [];
  for (const file of files) results.push({ file, issues: (await inspectPlaybook(file)).issues });
  return results;
}

interface Inspection {
  issues: PlaybookIssue[];
  loaded?: LoadedPlaybook;
}

/** With `load`, a valid playbook comes back loaded (hashed); validate asks for issues alone. */
async function inspectPlaybook(file: string, opts: { load?: boolean } = {}): Promise<Inspection> {
  const path = resolve(file);
  const source = await readSourceFile(path, MAX_PLAYBOOK_BYTES);
  if (!source.ok) return { issues: [issueAt(file, { line: 1, column: 1 }, `the playbook file ${source.problem}`, source.hint)] };

  const parsed = parseYaml(source.text, PLAYBOOK_YAML_LIMITS);
  const yamlIssues = parsed.problems.map((problem) => issueAt(file, problem.position, problem.message, problem.hint));
  if (parsed.data === undefined) return { issues: yamlIssues };
  const place = (issues: PathIssue[]) => issues.map((issue) => placeIssue(file, parsed.doc, parsed.lines, issue));
  if (parsed.data === null) return { issues: sortByPosition([...yamlIssues, ...place([emptyPlaybookIssue()])]) };

  const data = parsed.data;
  const checked = playbookSchema.safeParse(data);
  const schemaIssues = checked.success ? [] : describeSchemaIssues(checked.error.issues, playbookSchema, data);
  const dir = dirname(path);
  const resolved = await resolveTopology(data, dir);
  const referenceIssues = checkReferences(data, resolved.known);
  const issues = sortByPosition([...yamlIssues, ...place([...schemaIssues, ...resolved.issues, ...referenceIssues])]);
  if (issues.length > 0 || !checked.success || resolved.project === undefined) return { issues };
  if (!opts.load) return { issues };

  // Only a playbook that is to be run is hashed: validate loads no node:crypto (twenty-odd modules of Node's own).
  const { createHash } = await import('node:crypto');
  const sha256 = createHash('sha256').update(source.bytes).digest('hex');
  const loaded: LoadedPlaybook = { file, path, dir, source: source.text, sha256, playbook: checked.data, project: resolved.project };
  if (resolved.composeFile !== undefined) loaded.composeFile = resolved.composeFile;
  return { issues: [], loaded };
}

interface ResolvedTopology {
  composeFile?: string;
  /** What the compose file says exists, when the playbook names one that could be read. */
  known?: KnownTopology;
  project?: string;
  issues: PathIssue[];
}

/**
 * Reads the compose file (when named) and settles the project name, from the playbook as
 * parsed: each of the two is used when it is valid where it stands.
 */
async function resolveTopology(data: unknown, dir: string): Promise<ResolvedTopology> {
  const written = stringAt(data, ['topology', 'composeFile']);
  const project = stringAt(data, ['topology', 'project']);
  if (written === undefined) return project === undefined ? { issues: [] } : { project, issues: [] };
  const composeFile = resolve(dir, written);
  const path = ['topology', 'composeFile'];
  const read = await readComposeFile(composeFile);
  if (!read.ok) {
    const hint = composeFile === written ? read.hint : [read.hint, `resolved to ${composeFile}`].filter(Boolean).join('; ');
    return {
      composeFile,
      issues: [withHint({ path, message: `${pathPrefix(path)}compose file ${quoted(written)} ${read.problem}` }, hint)],
    };
  }
  const known = knownTopology(read.compose, data);
  const name = project ?? composeProjectName(composeFile, read.compose);
  if (name !== undefined) return { composeFile, known, project: name, issues: [] };
  return {
    composeFile,
    known,
    issues: [
      { path, message: `${pathPrefix(path)}no compose project name can be derived from ${quoted(written)}`, hint: 'set topology.project' },
    ],
  };
}

function stringAt(data: unknown, path: string[]): string | undefined {
  if (typeof valueAt(data, path) !== 'string') return undefined;
  const found = validAt(playbookSchema, data, path)?.value;
  return typeof found === 'string' ? found : undefined;
}

function emptyPlaybookIssue(): PathIssue {
  const required = Object.entries(playbookSchema.shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
  return { path: [], message: 'the playbook is empty', hint: `a playbook needs at least: ${required.join(', ')}` };
}

function placeIssue(file: string, doc: Document, lines: LinePositions, issue: PathIssue): PlaybookIssue {
  return issueAt(file, positionOf(doc, lines, issue.path, issue.at), issue.message, issue.hint);
}

/**
 * An issue as reported. Input is escaped and cut where each message echoes it; this is the
 * last guard for text from elsewhere (zod, yaml, the file system): one line, no control characters.
 */
function issueAt(file: string, position: { line: number; column: number }, message: string, hint: string | undefined): PlaybookIssue {
  const oneLine = (text: string) => escapeControl(cut(text, MAX_MESSAGE_LENGTH));
  return withHint({ file, ...position, message: oneLine(message) }, hint === undefined ? undefined : oneLine(hint));
}

/** In reading order; issues at the same place keep the order they were found in. */
function sortByPosition(issues: PlaybookIssue[]): PlaybookIssue[] {
  return issues.toSorted((a, b) => a.line - b.line || a.column - b.column);
}

function withHint<T extends object>(issue: T, hint: string | undefined): T & { hint?: string } {
  return hint ? { ...issue, hint } : issue;
}
