import { basename, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { MIB, readSourceFile } from '../yaml/source-file.js';
import { describeProjectSource } from '../topology/compose-project-name.js';
import { firedrillVersion } from '../version.js';
import { ciFiles, type CiChoice } from './ci-templates.js';
import { exists, findComposeFile, overrideFilesBeside, readComposeProject, type ComposeProject } from './compose-services.js';
import type { LeftOut } from './left-out.js';
import type { RegionSuggestion } from './region-suggestions.js';
import { readServiceFiles } from './service-assessment.js';
import { DEFAULT_REGION_LABEL } from './starter-common.js';
import { planStarters } from './starters.js';

/**
 * `firedrill init` without the writing: reads the compose file, settles the project name and
 * the regions, and composes every file to scaffold (starter playbooks, CI), each with a line
 * on what it is, plus notes on what was not written and why.
 */

export interface ScaffoldOptions {
  /** Where files are written; compose files are looked for here too. */
  dir: string;
  /** The compose file, when given (relative to the current directory). */
  composeFile?: string;
  project?: string;
  ci: CiChoice;
  /** The label that names regions (--region-label); firedrill.region when not given. */
  regionLabel?: string;
  /** Services the user names caches (--cache): emptied even when they look like they hold data. */
  caches?: string[];
}

export interface ScaffoldFile {
  /** Relative to the output directory, with "/". */
  path: string;
  content: string;
  about: string;
  /** For a starter: the services it leaves out, and why. */
  leftOut?: LeftOut[];
}

/** A starter that was not written: why, and why each service was left out of it. */
export interface SkippedStarter {
  what: string;
  reason: string;
  leftOut: LeftOut[];
}

export interface ScaffoldPlan {
  composeFile: string;
  project: string;
  /** How the project name was chosen, for the output. */
  projectFrom: string;
  regions: RegionSuggestion;
  serviceCount: number;
  files: ScaffoldFile[];
  skipped: SkippedStarter[];
  notes: string[];
}

export const DRILLS_DIR = 'drills';
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export async function planScaffold(opts: ScaffoldOptions): Promise<ScaffoldPlan> {
  const dir = resolve(opts.dir);
  const composeFile = opts.composeFile === undefined ? await findComposeFile(dir) : resolve(opts.composeFile);
  const compose = await readComposeProject(composeFile);
  const { project, projectFrom } = projectName(opts.project, compose);
  const drillsPath = join(dir, DRILLS_DIR);
  const composeFromRoot = portable(relative(dir, composeFile));
  if (/[\0-\x1f]/.test(composeFromRoot))
    throw new UsageError(`the compose file's path ${JSON.stringify(composeFromRoot)} holds control characters; rename it`);
  const regionLabel = opts.regionLabel ?? DEFAULT_REGION_LABEL;
  if (regionLabel.trim() === '' || /[\0-\x1f]/.test(regionLabel))
    throw new UsageError(`--region-label ${JSON.stringify(regionLabel)} is not a label name`);

  const { regions, starters, notes } = planStarters({
    project,
    composeFileFromDrills: portable(relative(drillsPath, composeFile)),
    composeFileName: composeFromRoot,
    drillsDir: DRILLS_DIR,
    schemaFromDrills: portable(relative(drillsPath, join(dir, 'node_modules', 'firedrill', 'schema', 'playbook.schema.json'))),
    regionLabel,
    regionLabelNamed: opts.regionLabel !== undefined,
    services: compose.services,
    files: await readServiceFiles(compose.services),
    caches: opts.caches ?? [],
  });
  const files: ScaffoldFile[] = [];
  const skipped: SkippedStarter[] = [];
  for (const { what, outcome } of starters) {
    if ('playbook' in outcome)
      files.push({
        path: `${DRILLS_DIR}/${outcome.playbook.file}`,
        content: outcome.playbook.content,
        about: outcome.playbook.about,
        leftOut: outcome.leftOut,
      });
    else skipped.push({ what, reason: outcome.skipped, leftOut: outcome.leftOut });
  }

  const install = await installCommand(dir);
  files.push(
    ...(await ciFiles(opts.ci, { version: firedrillVersion, project, composeFile: composeFromRoot, drillsDir: DRILLS_DIR, install })),
  );
  const overrides = await overrideFilesBeside(composeFile);
  if (overrides.length > 0)
    notes.push(
      `${overrides.join(' and ')} ${overrides.length === 1 ? 'is' : 'are'} not read: services, labels and ports come from ${basename(composeFile)} alone`,
    );

  return { composeFile, project, projectFrom, regions, serviceCount: compose.services.length, files, skipped, notes };
}

/** --project, else the name compose gives the project (COMPOSE_PROJECT_NAME, `name:`, the directory). */
function projectName(given: string | undefined, compose: ComposeProject): { project: string; projectFrom: string } {
  if (given !== undefined) {
    if (!PROJECT_NAME.test(given))
      throw new UsageError(
        `--project ${JSON.stringify(given)} is not a compose project name: use lowercase letters, digits, "-" and "_", starting with a letter or digit`,
      );
    return { project: given, projectFrom: '--project' };
  }
  // A `name:` built from variables set nowhere here names a project only CI's environment
  // knows; falling back to what they resolve to here would drill the wrong one.
  const unset = compose.projectFrom.kind === 'name-key' ? (compose.nameVariablesUnset ?? []) : [];
  if (unset.length > 0) {
    const which = unset.length === 1 ? 'which has no default' : 'which have no default';
    throw new UsageError(
      `the compose file's name: ${JSON.stringify(compose.nameWritten)} depends on ${unset.map((variable) => `$${variable}`).join(' and ')}, ${which} — give the project name with --project <name>`,
    );
  }
  const derived = compose.project;
  if (derived === undefined || !PROJECT_NAME.test(derived)) {
    throw new UsageError(
      `no compose project name can be derived from ${compose.file} (no usable COMPOSE_PROJECT_NAME, "name:" key or directory name) — give one with --project <name>`,
    );
  }
  const atDefault = compose.projectFrom.kind === 'name-key' && compose.nameDefaultTaken ? `, ${compose.nameWritten} at its default` : '';
  return { project: derived, projectFrom: `${describeProjectSource(compose.projectFrom, compose.file)}${atDefault}` };
}

/**
 * How CI gets firedrill: the project's own install when its package.json lists firedrill
 * (`npm ci` with a lock file), else this very version, without touching package.json.
 */
async function installCommand(dir: string): Promise<string> {
  const manifest = await readSourceFile(join(dir, 'package.json'), MIB);
  if (manifest.ok && listsFiredrill(manifest.text)) {
    const locked = await exists(join(dir, 'package-lock.json'));
    return locked ? 'npm ci' : 'npm install';
  }
  return `npm install --no-save firedrill@${firedrillVersion}`;
}

function listsFiredrill(text: string): boolean {
  try {
    const manifest = JSON.parse(text) as { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
    return Object.hasOwn(manifest.dependencies ?? {}, 'firedrill') || Object.hasOwn(manifest.devDependencies ?? {}, 'firedrill');
  } catch {
    return false;
  }
}

function portable(path: string): string {
  return path.split(sep).join('/');
}
