// `firedrill validate` on the worst inputs we know, within the playbook limits (1 MiB, 50,000
// YAML tokens): `npm run build && node bench/validate-inputs.mjs`.
// Each case runs in a fresh process of the built CLI; the table shows the wall time (node's
// start included), the time inside `validate`, and the peak memory (max RSS), beside a normal
// playbook measured in the same run. The aim: every case answered within 2 s and 200 MB.
// Compose files are read by firedrill's built-in reader, so the figures are validate's own; the
// last row is the baseline again with the compose CLI found here (docker compose or docker-compose).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWorstInputs } from '../test/fixtures/playbooks/worst-inputs.mjs';

const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('build first: npm run build');
  process.exit(1);
}

// Runs validate in this child process and prints one JSON line about it.
const child = `
const { main } = await import(${JSON.stringify(main)});
let bytes = 0;
let first = '';
const sink = { write(s) { if (!first) first = String(s).split('\\n')[0]; bytes += String(s).length; return true; } };
const started = performance.now();
const code = await main(['validate', process.argv[1]], { stdout: sink, stderr: sink, env: process.env, uiMode: () => 'plain', color: () => false });
const ms = performance.now() - started;
console.log(JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS, bytes, first }));
`;

const dir = mkdtempSync(join(tmpdir(), 'firedrill-validate-bench-'));
const rows = [];
try {
  const inputs = writeWorstInputs(dir);
  const runs = [
    ...inputs.map((input) => ({ input, reader: 'none' })),
    { input: { ...inputs[0], name: 'normal playbook, compose CLI' }, reader: 'auto' },
  ];
  for (const { input, reader } of runs) {
    const started = performance.now();
    const env = { ...process.env, FIREDRILL_COMPOSE_CLI: reader };
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child, input.path], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
      env,
    });
    const wall = performance.now() - started;
    const result = JSON.parse(out.trim().split('\n').pop());
    rows.push({
      case: input.name,
      KB: Math.round(statSync(input.path).size / 1024),
      exit: result.code,
      'wall s': (wall / 1000).toFixed(2),
      'validate s': (result.ms / 1000).toFixed(2),
      'peak RSS MB': Math.round(result.maxRssKb / 1024),
      'output KB': Math.round(result.bytes / 1024),
      answer: result.first.replace(/^.*?:\d+:\d+: /, '').slice(0, 70),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`node ${process.version}; the first row is the baseline`);
console.table(rows);
