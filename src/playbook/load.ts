import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { PlaybookError, type PlaybookIssue } from '../errors.js';
import { composeProjectName, readComposeFile, type ComposeFile } from './compose-file.js';
import { parseYaml, type YamlLimits } from './parse-yaml.js';
import { pathPrefix, positionOf, type PathIssue } from './positions.js';
import { checkReferences, knownTopology } from './references.js';
import { playbookSchema, type Playbook } from './schema.js';
import { describeSchemaIssues } from './schema-issues.js';
import { MIB, readSourceFile } from './source-file.js';

/**
 * Loads a playbook and checks it in layers, each reporting every problem it finds:
 * the file itself, YAML syntax, the schema, then references (fault ids, and services and
 * regions against the compose file). A layer runs only when the one before it passed.
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
const PLAYBOOK_YAML_LIMITS: YamlLimits = { maxAddedByAliases: 20_000, maxAliasCount: 100, merge: false };

/** Throws PlaybookError with every issue found. */
export async function loadPlaybook(file: string): Promise<LoadedPlaybook> {
  const { issues, loaded } = await inspectPlaybook(file);
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

async function inspectPlaybook(file: string): Promise<Inspection> {
  const path = resolve(file);
  const source = await readSourceFile(path, MAX_PLAYBOOK_BYTES);
  if (!source.ok) return { issues: [withHint({ file, line: 1, column: 1, message: `the playbook file ${source.problem}` }, source.hint)] };

  const parsed = parseYaml(source.text, PLAYBOOK_YAML_LIMITS);
  if (parsed.problems.length > 0) {
    return { issues: parsed.problems.map((p) => withHint({ file, ...p.position, message: p.message }, p.hint)) };
  }
  const place = (issues: PathIssue[]) => sortByPosition(issues.map((issue) => placeIssue(file, parsed.doc, parsed.lineCounter, issue)));
  if (parsed.data === undefined || parsed.data === null) return { issues: place([emptyPlaybookIssue()]) };

  const result = playbookSchema.safeParse(parsed.data);
  if (!result.success) return { issues: place(describeSchemaIssues(result.error.issues, playbookSchema, parsed.data)) };

  const playbook = result.data;
  const dir = dirname(path);
  const resolved = await resolveTopology(playbook, dir);
  const issues = [...resolved.issues, ...checkReferences(playbook, resolved.compose && knownTopology(resolved.compose, playbook.topology))];
  if (issues.length > 0 || resolved.project === undefined) return { issues: place(issues) };

  const sha256 = createHash('sha256').update(source.bytes).digest('hex');
  const loaded: LoadedPlaybook = { file, path, dir, source: source.text, sha256, playbook, project: resolved.project };
  if (resolved.composeFile !== undefined) loaded.composeFile = resolved.composeFile;
  return { issues: [], loaded };
}

interface ResolvedTopology {
  composeFile?: string;
  compose?: ComposeFile;
  project?: string;
  issues: PathIssue[];
}

/** Reads the compose file (when named) and settles the project name. */
async function resolveTopology(playbook: Playbook, dir: string): Promise<ResolvedTopology> {
  const { composeFile: written, project } = playbook.topology;
  if (written === undefined) return { project, issues: [] };
  const composeFile = resolve(dir, written);
  const path = ['topology', 'composeFile'];
  const read = await readComposeFile(composeFile);
  if (!read.ok) {
    const hint = composeFile === written ? read.hint : [read.hint, `resolved to ${composeFile}`].filter(Boolean).join('; ');
    return { composeFile, issues: [withHint({ path, message: `${pathPrefix(path)}compose file "${written}" ${read.problem}` }, hint)] };
  }
  const name = project ?? composeProjectName(composeFile, read.compose);
  if (name !== undefined) return { composeFile, compose: read.compose, project: name, issues: [] };
  return {
    composeFile,
    compose: read.compose,
    issues: [{ path, message: `${pathPrefix(path)}no compose project name can be derived from "${written}"`, hint: 'set topology.project' }],
  };
}

function emptyPlaybookIssue(): PathIssue {
  const required = Object.entries(playbookSchema.shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
  return { path: [], message: 'the playbook is empty', hint: `a playbook needs at least: ${required.join(', ')}` };
}

function placeIssue(file: string, doc: Document, lineCounter: LineCounter, issue: PathIssue): PlaybookIssue {
  const position = positionOf(doc, lineCounter, issue.path, issue.at);
  return withHint({ file, ...position, message: issue.message }, issue.hint);
}

/** In reading order; issues at the same place keep the order they were found in. */
function sortByPosition(issues: PlaybookIssue[]): PlaybookIssue[] {
  return issues.toSorted((a, b) => a.line - b.line || a.column - b.column);
}

function withHint<T extends object>(issue: T, hint: string | undefined): T & { hint?: string } {
  return hint ? { ...issue, hint } : issue;
}
