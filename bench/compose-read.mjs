// `firedrill validate` of playbooks naming the worst compose files we know (each under the
// 4 MiB compose file limit): `npm run build && node bench/compose-read.mjs`.
// Each case runs in a fresh process of the built CLI, once with the built-in compose reader
// (FIREDRILL_COMPOSE_CLI=none) and once as a user runs it (the compose CLI installed here, if
// any). The table shows the wall time (node's start included), the time inside `validate`
// and the peak memory (max RSS), beside a large ordinary compose file measured in the same
// run. The aim: every case answered within 2 s and 200 MB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWorstComposeFiles } from '../test/fixtures/compose-shapes/worst-compose-files.mjs';

const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('build first: npm run build');
  process.exit(1);
}

// Runs validate in this child process and prints one JSON line about it.
const child = `
const { main } = await import(${JSON.stringify(main)});
let first = '';
const sink = { write(s) { if (!first) first = String(s).split('\\n')[0]; return true; } };
const started = performance.now();
const code = await main(['validate', process.argv[1]], { stdout: sink, stderr: sink, env: {}, uiMode: () => 'plain', color: () => false });
const ms = performance.now() - started;
console.log(JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS, first }));
`;

function run(path, env) {
  const started = performance.now();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', child, path], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 16 * 2 ** 20,
  });
  const wall = performance.now() - started;
  return { wall, ...JSON.parse(out.trim().split('\n').pop()) };
}

const dir = mkdtempSync(join(tmpdir(), 'firedrill-compose-bench-'));
const rows = [];
try {
  for (const input of writeWorstComposeFiles(dir)) {
    for (const [reader, env] of [
      ['built-in', { FIREDRILL_COMPOSE_CLI: 'none' }],
      ['as installed', { FIREDRILL_COMPOSE_CLI: 'auto' }],
    ]) {
      const result = run(input.playbookPath, env);
      rows.push({
        case: input.name,
        reader,
        KB: Math.round(statSync(input.composePath).size / 1024),
        exit: result.code,
        'wall s': (result.wall / 1000).toFixed(2),
        'validate s': (result.ms / 1000).toFixed(2),
        'peak RSS MB': Math.round(result.maxRssKb / 1024),
        answer: result.first.replace(/^.*?:\d+:\d+: /, '').slice(0, 70),
      });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`node ${process.version}; the first two rows are the baseline`);
console.table(rows);
