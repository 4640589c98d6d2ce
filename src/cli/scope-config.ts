import { resolve } from 'node:path';
import { z } from 'zod';
import { formatIssue, UsageError, type PlaybookIssue } from '../errors.js';
import { parseYaml } from '../yaml/parse-yaml.js';
import { positionOf } from '../yaml/positions.js';
import { describeSchemaIssues } from '../playbook/schema-issues.js';
import { readSourceFile } from '../yaml/source-file.js';
import type { ProjectAllowList } from '../plan/scope.js';

/**
 * Where the allow-lists of compose projects come from:
 * - FIREDRILL_ALLOWED_PROJECTS: comma-separated names or globs (`staging-*`); empty = unset;
 * - the config file: `--config <file>`, else `firedrill.config.yaml` in the working directory
 *   when there is one. It holds `allowedProjects: [...]` (an empty list allows nothing).
 * A project must match every list that is set; with neither set, any project may be drilled.
 */

export const ALLOWED_PROJECTS_ENV = 'FIREDRILL_ALLOWED_PROJECTS';
export const DEFAULT_CONFIG_FILE = 'firedrill.config.yaml';

const MAX_CONFIG_BYTES = 64 * 1024;

const configSchema = z.strictObject({
  /** Compose project names or globs (`*`, `?`) drills may target. */
  allowedProjects: z.array(z.string().trim().min(1, 'a project name or glob may not be empty')).optional(),
});

export async function loadAllowLists(opts: { configFile?: string; env: NodeJS.ProcessEnv; cwd?: string }): Promise<ProjectAllowList[]> {
  const lists: ProjectAllowList[] = [];
  const fromEnv =
    opts.env[ALLOWED_PROJECTS_ENV]
      ?.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '') ?? [];
  if (fromEnv.length > 0) lists.push({ patterns: fromEnv, source: ALLOWED_PROJECTS_ENV });
  const fromFile = await readConfig(opts.configFile, opts.cwd ?? process.cwd());
  if (fromFile?.config.allowedProjects) lists.push({ patterns: fromFile.config.allowedProjects, source: fromFile.file });
  return lists;
}

async function readConfig(
  given: string | undefined,
  cwd: string,
): Promise<{ file: string; config: z.output<typeof configSchema> } | undefined> {
  const file = given ?? DEFAULT_CONFIG_FILE;
  const source = await readSourceFile(resolve(cwd, file), MAX_CONFIG_BYTES);
  if (!source.ok) {
    // Only a file named on the command line must exist.
    if (given === undefined && /does not exist/.test(source.problem)) return undefined;
    throw new UsageError(`the config file ${file} ${source.problem}${source.hint ? ` (${source.hint})` : ''}`);
  }
  const parsed = parseYaml(source.text, { maxAddedByAliases: 1000, merge: false });
  const problems: PlaybookIssue[] = parsed.problems.map((p) => ({
    file,
    ...p.position,
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  }));
  if (problems.length === 0) {
    const data = parsed.data ?? {};
    const checked = configSchema.safeParse(data);
    if (checked.success) return { file, config: checked.data };
    // The same plain words and positions as for a playbook: "allowedProjects: expected a list, got "x"".
    for (const issue of describeSchemaIssues(checked.error.issues, configSchema, data)) {
      const position = positionOf(parsed.doc, parsed.lines, issue.path, issue.at);
      problems.push({ file, ...position, message: issue.message, ...(issue.hint ? { hint: issue.hint } : {}) });
    }
  }
  throw new UsageError(`the config file is not valid; nothing was touched:\n${problems.map(formatIssue).join('\n')}`);
}
