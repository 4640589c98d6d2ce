import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { composeProjectName, normalisedProjectName } from '../playbook/compose-file.js';
import { MIB, readSourceFile } from '../playbook/source-file.js';
import { firedrillVersion } from '../version.js';
import { cachePurgeStarter } from './cache-purge-starter.js';
import { ciFiles, type CiChoice } from './ci-templates.js';
import { withDefaults } from './compose-interpolation.js';
import { exists, findComposeFile, overrideFilesBeside, readComposeProject, type ComposeProject, type ScaffoldService } from './compose-services.js';
import { nginxCachePaths } from './nginx-cache.js';
import { regionLossStarter } from './region-loss-starter.js';
import { suggestRegions, type RegionSuggestion } from './region-suggestions.js';
import { serviceCrashStarter } from './service-crash-starter.js';
import { probeFor } from './service-probes.js';
import { softwareOf, statefulBecause } from './service-traits.js';
import type { StarterContext, StarterOutcome, StarterService } from './starter-common.js';

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
}

export interface ScaffoldFile {
  /** Relative to the output directory, with "/". */
  path: string;
  content: string;
  about: string;
}

export interface ScaffoldPlan {
  composeFile: string;
  project: string;
  /** How the project name was chosen, for the output. */
  projectFrom: string;
  regions: RegionSuggestion;
  serviceCount: number;
  files: ScaffoldFile[];
  notes: string[];
}

export const DRILLS_DIR = 'drills';
export const REGION_LABEL = 'firedrill.region';
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export async function planScaffold(opts: ScaffoldOptions): Promise<ScaffoldPlan> {
  const dir = resolve(opts.dir);
  const composeFile = opts.composeFile === undefined ? await findComposeFile(dir) : resolve(opts.composeFile);
  const compose = await readComposeProject(composeFile);
  const { project, projectFrom } = projectName(opts.project, compose);
  // A service behind a profile has no container after a plain `up`: no drill can target it.
  const started = compose.services.filter((service) => service.profiles.length === 0);
  if (started.length === 0) throw new UsageError(`every service of ${composeFile} is behind a compose profile: there is nothing a plain \`docker compose up\` starts to drill`);
  const regions = suggestRegions(started, REGION_LABEL);
  const services = await starterServices(started, regions);

  const drillsPath = join(dir, DRILLS_DIR);
  const composeFromRoot = portable(relative(dir, composeFile));
  if (/[\0-\x1f]/.test(composeFromRoot)) throw new UsageError(`the compose file's path ${JSON.stringify(composeFromRoot)} holds control characters; rename it`);
  const ctx: StarterContext = {
    project,
    composeFileFromDrills: portable(relative(drillsPath, composeFile)),
    composeFileName: composeFromRoot,
    drillsDir: DRILLS_DIR,
    schemaFromDrills: portable(relative(drillsPath, join(dir, 'node_modules', 'firedrill', 'schema', 'playbook.schema.json'))),
    regionLabel: REGION_LABEL,
    regions,
    services,
  };

  const notes: string[] = [];
  const behindProfiles = compose.services.filter((service) => service.profiles.length > 0).map((service) => service.name);
  if (behindProfiles.length > 0) notes.push(`left out, as a plain \`docker compose up\` does not start them (profiles:): ${behindProfiles.join(', ')}`);
  const files: ScaffoldFile[] = [];
  const take = (what: string, outcome: StarterOutcome) => {
    if ('playbook' in outcome) files.push({ path: `${DRILLS_DIR}/${outcome.playbook.file}`, content: outcome.playbook.content, about: outcome.playbook.about });
    else notes.push(`no ${what}: ${outcome.skipped}`);
  };
  const regionNames = Object.keys(regions.regions);
  if (regions.source.kind === 'none') notes.push(`no region drill: ${regions.source.reason}; label services with ${REGION_LABEL}=<region> in ${composeFromRoot} and run firedrill init again`);
  for (const { region, reason } of regions.unusable) notes.push(`no drill for region ${JSON.stringify(region)}: ${reason}`);
  for (const region of regionNames) take(`drill for region ${region}`, regionLossStarter(ctx, region));
  take('service-crash.yaml', serviceCrashStarter(ctx));
  const cache = cachePurgeStarter(ctx);
  notes.push(...cache.notes);
  take('cache-purge.yaml', cache.outcome);

  const install = await installCommand(dir);
  files.push(...(await ciFiles(opts.ci, { version: firedrillVersion, project, composeFile: composeFromRoot, drillsDir: DRILLS_DIR, install })));
  const overrides = await overrideFilesBeside(composeFile);
  if (overrides.length > 0) notes.push(`${overrides.join(' and ')} ${overrides.length === 1 ? 'is' : 'are'} not read: services, labels and ports come from ${basename(composeFile)} alone`);

  return { composeFile, project, projectFrom, regions, serviceCount: compose.services.length, files, notes };
}

/** --project, else the compose file's `name:`, else its directory's name, normalised as compose does. */
function projectName(given: string | undefined, compose: ComposeProject): { project: string; projectFrom: string } {
  if (given !== undefined) {
    if (!PROJECT_NAME.test(given)) throw new UsageError(`--project ${JSON.stringify(given)} is not a compose project name: use lowercase letters, digits, "-" and "_", starting with a letter or digit`);
    return { project: given, projectFrom: '--project' };
  }
  const fromNameKey = normalisedProjectName(nameKey(compose).name);
  const derived = fromNameKey ?? composeProjectName(compose.file);
  if (derived === undefined || !PROJECT_NAME.test(derived)) {
    throw new UsageError(`no compose project name can be derived from ${compose.file} (no usable "name:" key or directory name) — give one with --project <name>`);
  }
  const atDefault = compose.name !== undefined && withDefaults(compose.name).variables.length > 0 ? `, ${compose.name} at its default` : '';
  return { project: derived, projectFrom: fromNameKey !== undefined ? `the compose file's name: key${atDefault}` : `the directory name ${basename(dirname(compose.file))}` };
}

/**
 * The `name:` key as compose would read it with none of its variables set: `${VAR:-shop}` is
 * "shop". A variable without a default names a project only CI's environment knows, and falling
 * back to the directory's name would drill the wrong one, so the user is asked for --project.
 */
function nameKey(compose: ComposeProject): { name?: string } {
  if (compose.name === undefined) return {};
  const { text, withoutDefault } = withDefaults(compose.name);
  if (text === undefined) {
    const unset = withoutDefault.map((variable) => `$${variable}`).join(' and ');
    const which = withoutDefault.length === 1 ? 'which has no default' : 'which have no default';
    throw new UsageError(`the compose file's name: ${JSON.stringify(compose.name)} depends on ${unset}, ${which} — give the project name with --project <name>`);
  }
  return { name: text };
}

async function starterServices(services: ScaffoldService[], regions: RegionSuggestion): Promise<StarterService[]> {
  const regionOf = new Map<string, string>();
  for (const [region, names] of Object.entries(regions.regions)) for (const name of names) regionOf.set(name, region);
  const entries: StarterService[] = [];
  for (const service of services) {
    const software = softwareOf(service);
    const entry: StarterService = { service, probe: probeFor(service, software), software, nginxCaches: await nginxCachePaths(service) };
    const stateful = statefulBecause(service, software);
    if (stateful !== undefined) entry.statefulBecause = stateful;
    const region = regionOf.get(service.name);
    if (region !== undefined) entry.region = region;
    entries.push(entry);
  }
  return entries;
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
