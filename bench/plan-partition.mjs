// Planning a network partition at scale: `npm run bench:plan` (builds first; needs Docker and the
// local image firedrill-base:bookworm). Starts a compose project of its own with two services of
// BENCH_SCALE containers each (100 by default), plans a partition of one against the other, and
// prints the time against a baseline measured in the same run: the same plan with a fault that
// needs no preflight (a pause of the same containers). The partition's preflight looks into every
// target's network namespace, all from one namespace inspector helper; the aim is under 5 s for
// 100 against 100. Each row says how many helper containers a plan ran, and the load average
// (1 min) before and after: the figures mean little on a loaded machine without it.
// BENCH_FALLBACK=1 adds one plan with the inspector refused (as a policy or rootless engine
// would): a helper per target, as before the inspector. The project is removed afterwards, also
// when planning fails (a failed removal is reported after the figures).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDockerEngine } from '../dist/engine/docker-engine.js';
import { loadPlaybook } from '../dist/playbook/load.js';
import { planDrill } from '../dist/plan/plan.js';
import { composeDown, composeUp } from '../dist/topology/compose-cli.js';

const scale = Number(process.env.BENCH_SCALE ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'firedrill-bench-plan-'));
const project = `fdbench-${randomBytes(4).toString('hex')}`;
const composeFile = join(dir, 'docker-compose.yml');
writeFileSync(
  composeFile,
  [
    'version: "2.4"',
    'x-idle: &idle',
    '  image: firedrill-base:bookworm',
    '  command: ["sh", "-c", "trap \'exit 0\' TERM INT; sleep infinity & wait"]',
    '  stop_grace_period: 1s',
    '  networks: [wire]',
    'services:',
    `  buyers: { <<: *idle, scale: ${scale} }`,
    `  sellers: { <<: *idle, scale: ${scale} }`,
    'networks:',
    '  wire: { internal: true }',
    '',
  ].join('\n'),
);

function playbook(name, inject) {
  const file = join(dir, `${name}.yaml`);
  const lines = [
    `name: ${name}`,
    'title: Planning benchmark',
    'summary: Planned, never run.',
    'topology:',
    `  composeFile: ${composeFile}`,
    `  project: ${project}`,
    'steps:',
    '  - name: inject',
    `    inject: ${JSON.stringify(inject)}`,
    '  - name: wait',
    '    wait: { probe: { kind: exec, service: buyers, command: ["true"] }, every: 1s, timeout: 10s }',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function timePlans(file, engine, rounds) {
  const loaded = await loadPlaybook(file);
  const input = { playbook: loaded.playbook, file: loaded.file, sha256: loaded.sha256, project: loaded.project };
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    const plan = await planDrill(input, engine);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if ([...plan.faults.values()][0].targets.length !== 2 * scale && !file.includes('baseline'))
      throw new Error('the partition did not pin every container');
  }
  return { best: Math.min(...times), median: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] };
}

/** The engine, counting the helper containers it is asked to run; with `refuseInspector`, it refuses the namespace inspector as a policy would. */
function countingEngine(inner, { refuseInspector = false } = {}) {
  const counted = { helpers: 0 };
  const engine = new Proxy(inner, {
    get(target, property) {
      if (property === 'runHelper') {
        return async (spec, opts) => {
          if (refuseInspector && spec.hostPids) throw new Error('authorization denied by plugin (bench): host PID namespace');
          counted.helpers += 1;
          return target.runHelper(spec, opts);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { engine, counted };
}

const loadNow = () => loadavg()[0].toFixed(2);
const docker = createDockerEngine();
const rows = [];
try {
  const started = process.hrtime.bigint();
  await composeUp({ file: composeFile, project, wait: true, waitTimeoutMs: 600_000, engine: docker });
  console.log(`started ${2 * scale} containers in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s (project ${project})`);
  const measure = async (plan, file, opts = {}) => {
    const { engine, counted } = countingEngine(docker, opts);
    const loadBefore = loadNow();
    const times = await timePlans(file, engine, opts.rounds ?? rounds);
    const helpers = String(counted.helpers / (opts.rounds ?? rounds));
    rows.push({
      plan,
      'best s': times.best.toFixed(2),
      'median s': times.median.toFixed(2),
      'helpers per plan': helpers,
      'load (1 min) before/after': `${loadBefore}/${loadNow()}`,
    });
    return times;
  };
  const baseline = await measure(
    `baseline: pause ${scale} containers (no preflight)`,
    playbook('baseline', { kind: 'service', service: 'buyers', mode: 'pause' }),
  );
  const partitionFile = playbook('partition', { kind: 'network-partition', between: [['buyers'], ['sellers']] });
  const partition = await measure(`partition ${scale} against ${scale}`, partitionFile);
  rows.push({
    plan: 'partition preflight alone (median difference)',
    'best s': '',
    'median s': (partition.median - baseline.median).toFixed(2),
  });
  if (process.env.BENCH_FALLBACK === '1') {
    await measure(`partition ${scale} against ${scale}, inspector refused (a helper per target)`, partitionFile, {
      refuseInspector: true,
      rounds: 1,
    });
  }
} catch (error) {
  console.error(`planning failed: ${error.message}`);
  process.exitCode = 1;
}
// Printed before the clean-up, which can fail on its own (an engine that keeps a stale endpoint).
console.log(`node ${process.version}, ${cpus().length} CPUs, ${rounds} plans each; the aim for the partition is under 5 s`);
console.table(rows);
try {
  // Helpers cut off by a failed plan may hold the network a moment longer: try again, bounded.
  for (let attempt = 1; ; attempt++) {
    try {
      await composeDown({ file: composeFile, project, volumes: true });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
} catch (error) {
  console.error(`could not remove the benchmark's compose project ${project}: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
