import { join, relative, resolve } from 'node:path';
import { ExitCode } from '../../exit-codes.js';
import { count } from '../../words/number-words.js';
import type { CiChoice } from '../../scaffold/ci-templates.js';
import { exists } from '../../scaffold/compose-services.js';
import { groupedByReason, type LeftOut } from '../../scaffold/left-out.js';
import { DRILLS_DIR, planScaffold, type ScaffoldPlan } from '../../scaffold/scaffold.js';
import { writeScaffold, type WriteOutcome } from '../../scaffold/write-files.js';
import type { CliIo } from '../io.js';
import { composeCommandName } from '../../topology/compose-command-name.js';

export interface InitOptions {
  compose?: string;
  project?: string;
  dir: string;
  force: boolean;
  /** Undefined: chosen from what the directory already has. */
  ci?: CiChoice;
  /** The label that names regions; firedrill.region when not given. */
  regionLabel?: string;
  /** Services to treat as caches whatever they look like. */
  cache?: string[];
}

/**
 * `firedrill init`: scaffolds starter playbooks and CI for the compose project in `--dir`
 * (the current directory by default), from its compose file alone. Existing files are kept
 * unless `--force`; the output lists what was written, what was kept, why any starter was
 * not written, and why each service was left out of each starter.
 */
export async function initCommand(opts: InitOptions, io: CliIo): Promise<number> {
  const ci = opts.ci ?? (await defaultCi(opts.dir));
  const plan = await planScaffold({
    dir: opts.dir,
    ci,
    ...(opts.compose ? { composeFile: opts.compose } : {}),
    ...(opts.project ? { project: opts.project } : {}),
    ...(opts.regionLabel !== undefined ? { regionLabel: opts.regionLabel } : {}),
    ...(opts.cache ? { caches: opts.cache } : {}),
  });
  const outcomes = await writeScaffold(resolve(opts.dir), plan.files, opts.force);
  io.stdout.write(renderOutcome(plan, outcomes, resolve(opts.dir)));
  return ExitCode.Passed;
}

/** GitLab when the directory has a .gitlab-ci.yml, both when it also has .github/, else GitHub. */
async function defaultCi(dir: string): Promise<CiChoice> {
  const has = (name: string) => exists(join(dir, name));
  const [gitlab, github] = await Promise.all([has('.gitlab-ci.yml'), has('.github')]);
  return gitlab ? (github ? 'both' : 'gitlab') : 'github';
}

function renderOutcome(plan: ScaffoldPlan, outcomes: WriteOutcome[], dir: string): string {
  const shown = (path: string) => relative(process.cwd(), join(dir, path)) || path;
  const lines = [
    `compose file ${plan.composeFile}: ${count(plan.serviceCount, 'service')}, project ${plan.project} (from ${plan.projectFrom})`,
    regionLine(plan),
    '',
  ];
  const width = Math.max(...outcomes.map((outcome) => shown(outcome.file.path).length));
  for (const { file, result } of outcomes) {
    const verb = result === 'kept' ? 'kept       ' : result === 'overwritten' ? 'overwrote  ' : 'wrote      ';
    const why = result === 'kept' ? 'it exists; --force overwrites it' : file.about;
    lines.push(`${verb}${shown(file.path).padEnd(width)}  ${why}`);
    if (result !== 'kept') lines.push(...leftOutLines(file.leftOut ?? [], ' '.repeat(verb.length + 2)));
  }
  for (const { what, reason, leftOut } of plan.skipped) lines.push('', `no ${what}: ${reason}`, ...leftOutLines(leftOut, '  '));
  if (plan.notes.length > 0) lines.push('', ...plan.notes.map((note) => `note: ${note}`));
  if (outcomes.some((outcome) => outcome.file.path.startsWith(`${DRILLS_DIR}/`))) {
    lines.push(
      '',
      'next:',
      `  npx firedrill validate ${shown(DRILLS_DIR)}/*.yaml          checks the playbooks (no Docker needed)`,
      `  ${composeCommandName()} -f ${relative(process.cwd(), plan.composeFile) || plan.composeFile} -p ${plan.project} up -d`,
      `  npx firedrill plan ${shown(DRILLS_DIR)}/<playbook>.yaml    shows exactly what a drill would do`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** "left out: db, cache — it may hold data: …", one line per reason. */
function leftOutLines(leftOut: readonly LeftOut[], indent: string): string[] {
  return groupedByReason(leftOut).map(({ services, reason }) => `${indent}left out: ${services.join(', ')} — ${reason}`);
}

function regionLine(plan: ScaffoldPlan): string {
  const { source, regions } = plan.regions;
  const listed = Object.entries(regions)
    .map(([region, services]) => `${region} = ${services.join(', ')}`)
    .join('; ');
  switch (source.kind) {
    case 'labels':
      return `regions from the ${source.label} labels: ${listed}`;
    case 'names':
      return `regions suggested from the service names, by ${source.pattern}: ${listed} — a guess: check topology.regions in the region drills`;
    case 'none':
      return 'no regions';
  }
}
