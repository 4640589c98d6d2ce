import type { InstalledCompose } from '../topology/compose-cli.js';
import { bounded, CHECK_TIMEOUT_MS } from './bounded.js';
import { composeFinding } from './compose-check.js';
import { checkEngine, engineWhere, type DoctorEngine } from './engine-check.js';
import { finding, verdictOf, type CheckId, type DoctorReport, type Finding, type FindingArgs } from './findings.js';
import { checkHelperImage, checkIptables, checkNetem, helperImageChoice } from './helper-checks.js';
import { checkCgroup } from './host-check.js';
import { checkNode } from './node-check.js';
import { checkRunsDir } from './runs-dir-check.js';

/** What doctor looks at; the command passes the real ones, tests their own. */
export interface DoctorInput {
  env: Record<string, string | undefined>;
  nodeVersion: string;
  runsDir: string;
  /** The engine client, made inside the engine check: a DOCKER_HOST it cannot use is a finding, not a crash. */
  connect(): DoctorEngine;
  findCompose(): Promise<InstalledCompose>;
  /** Each check's deadline; CHECK_TIMEOUT_MS by default. */
  timeoutMs?: number;
}

/**
 * Runs every check, each under its own deadline, those that do not depend on each other at the
 * same time: Node, compose, the runs directory and the engine at once; then, once the engine
 * answers, the helper image and the cgroup version; then, from the helper image, iptables and netem.
 * A check whose prerequisite is missing is "not checked", and the prerequisite's own check fails.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const timeoutMs = input.timeoutMs ?? CHECK_TIMEOUT_MS;
  const [compose, runsDir, engine] = await Promise.all([
    bounded('compose', async () => composeFinding(await input.findCompose()), timeoutMs),
    bounded('runs-dir', () => checkRunsDir(input.runsDir), timeoutMs),
    engineChecks(input, timeoutMs),
  ]);
  return verdictOf([checkNode(input.nodeVersion), compose, runsDir, ...engine]);
}

const ON_THE_ENGINE: CheckId[] = ['helper-image', 'cgroup', 'iptables', 'netem'];
const FROM_THE_HELPER_IMAGE: CheckId[] = ['iptables', 'netem'];

async function engineChecks(input: DoctorInput, timeoutMs: number): Promise<Finding[]> {
  let answering: { engine: DoctorEngine; apiVersion: string } | undefined;
  const engineFinding = await bounded(
    'engine',
    async (signal) => {
      const where = await engineWhere(input.env);
      const engine = input.connect();
      const checked = await checkEngine(where, engine, signal);
      if (checked.usable && !signal.aborted) answering = { engine, apiVersion: checked.usable.apiVersion };
      return checked.finding;
    },
    timeoutMs,
  );
  if (!answering) return [engineFinding, ...notChecked(ON_THE_ENGINE, 'not-checked.no-engine', {})];
  const { engine, apiVersion } = answering;

  const choice = helperImageChoice(input.env);
  let imageId: string | undefined;
  const [image, cgroup] = await Promise.all([
    bounded(
      'helper-image',
      async (signal) => {
        const checked = await checkHelperImage(engine, choice, signal);
        if (!signal.aborted) imageId = checked.id;
        return checked.finding;
      },
      timeoutMs,
    ),
    bounded('cgroup', (signal) => checkCgroup(engine, apiVersion, signal), timeoutMs),
  ]);
  if (imageId === undefined)
    return [engineFinding, image, cgroup, ...notChecked(FROM_THE_HELPER_IMAGE, 'not-checked.no-helper-image', { image: choice.image })];
  const id = imageId;
  const [iptables, netem] = await Promise.all([
    bounded('iptables', (signal) => checkIptables(engine, id, signal), timeoutMs),
    bounded('netem', (signal) => checkNetem(engine, id, signal), timeoutMs),
  ]);
  return [engineFinding, image, cgroup, iptables, netem];
}

function notChecked<C extends 'not-checked.no-engine' | 'not-checked.no-helper-image'>(
  ids: CheckId[],
  code: C,
  args: FindingArgs[C],
): Finding[] {
  return ids.map((id) => finding(id, 'not-checked', code, args));
}
