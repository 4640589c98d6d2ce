// How fast firedrill starts: `npm run bench:start` (builds first). Each case is a fresh process of
// the built CLI, timed from spawn to exit with Node's own clock, beside `node -e 0` measured in the
// same rounds: the ratio column is the case's median over node's. Rounds interleave the cases, so a
// busy moment on a shared machine falls on all of them alike; one untimed round warms the file cache.
// Cases: `--version`, `schema` (stdout to /dev/null) and `validate` of each bundled drill. validate
// reads compose files with the built-in reader (FIREDRILL_COMPOSE_CLI=none) so the figures are
// firedrill's own; `--compose-cli` adds one row through the compose CLI installed here.
// The aim: within 3 times `node -e 0` for --version and schema, within 5 times for validate. Two rows
// without an aim show the floor under them: node importing only the packages schema needs
// (commander, chalk, zod), and those validate needs (the same and yaml), and nothing of firedrill.
//   node bench/start.mjs [--runs N] [--compose-cli] [checkout]
// `checkout` times another checkout's build (an older one, to compare) on this checkout's drills.
// The packages rows import from the timed checkout's node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, 'compose-cli': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of 1 or more, not ${values.runs}`);
const here = join(import.meta.dirname, '..');
const root = resolve(positionals[0] ?? here);
const bin = join(root, 'bin', 'firedrill.js');
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error(`build first: npm run build (no dist/cli/main.js in ${root})`);
  process.exit(1);
}

/** A module body importing these packages and doing nothing else. */
function packages(names) {
  return names.map((name) => `await import(${JSON.stringify(name)});`).join(' ');
}

const builtIn = { ...process.env, FIREDRILL_COMPOSE_CLI: 'none' };
const drillsDir = join(here, 'drills');
const drills = readdirSync(drillsDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const cases = [
  { name: 'node -e 0', argv: ['-e', '0'], aim: undefined },
  {
    name: 'node importing commander, chalk, zod',
    argv: ['--input-type=module', '-e', packages(['commander', 'chalk', 'zod'])],
    aim: undefined,
  },
  {
    name: 'node importing commander, chalk, zod, yaml',
    argv: ['--input-type=module', '-e', packages(['commander', 'chalk', 'zod', 'yaml'])],
    aim: undefined,
  },
  { name: 'firedrill --version', argv: [bin, '--version'], aim: 3 },
  { name: 'firedrill schema', argv: [bin, 'schema'], aim: 3 },
  ...drills.map((drill) => ({
    name: `firedrill validate ${drill}`,
    argv: [bin, 'validate', join(drillsDir, drill)],
    env: builtIn,
    aim: 5,
  })),
];
if (values['compose-cli'] && drills.length > 0) {
  const drill = drills[0];
  cases.push({ name: `firedrill validate ${drill}, compose CLI`, argv: [bin, 'validate', join(drillsDir, drill)], aim: undefined });
}

/** Wall time of one fresh process, in milliseconds; a case that fails stops the bench, as its figures would mean nothing. */
function timeOnce(entry) {
  const started = performance.now();
  const result = spawnSync(process.execPath, entry.argv, { cwd: root, env: entry.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${entry.name} exited ${result.status ?? result.signal}: ${String(result.stderr).trim()}`);
  return ms;
}

const loadBefore = loadavg()[0].toFixed(2);
for (const entry of cases) timeOnce(entry);
const times = new Map(cases.map((entry) => [entry, []]));
for (let round = 0; round < runs; round++) {
  for (const entry of cases) times.get(entry).push(timeOnce(entry));
}
const loadAfter = loadavg()[0].toFixed(2);

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const baseline = median(times.get(cases[0]));
const rows = cases.map((entry) => {
  const list = times.get(entry);
  const ratio = median(list) / baseline;
  return {
    case: entry.name,
    'median ms': Math.round(median(list)),
    'min ms': Math.round(Math.min(...list)),
    'max ms': Math.round(Math.max(...list)),
    'ratio to node -e 0': ratio.toFixed(1),
    aim: entry.aim === undefined ? '' : `≤ ${entry.aim} ${ratio <= entry.aim ? 'met' : 'MISSED'}`,
  };
});
console.log(
  `node ${process.version}, ${cpus().length} CPUs, ${runs} runs each, load average (1 min) ${loadBefore} before, ${loadAfter} after`,
);
console.log(`firedrill in ${root}`);
console.table(rows);
