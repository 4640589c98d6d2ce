// Whether sampling keeps its schedule under load: `npm run bench:sampling` (builds first).
// Two local HTTP servers (child processes on 127.0.0.1) answer every request: one the stop conditions',
// one the wait's, noting when each arrived (a server of its own, so the conditions' bursts do not delay
// the wait's arrivals there). Against them, in the same run and in alternating rounds:
//   firedrill  the built modules with the system clock: a StopConditionWatch over N stop conditions
//              (HTTP probes, every 100 ms, started together as a run starts them) and a wait step
//              polling its own HTTP probe every 50 ms that never holds, so it polls until its timeout;
//              an EventBus with the journal writer subscribed, as in a run.
//   bare loop  the same requests at the same rates, from plain Node: node:http with a keep-alive
//              agent, each loop sleeping until its next instant on a fixed grid; a sample that overran
//              is followed at once and the grid counts on from there (firedrill's rule). The floor.
// Each side runs in a fresh process, so its CPU time and peak RSS are its own.
// Printed for the wait's samples: start jitter (|gap between consecutive arrivals − interval|)
// p50/p99/max, the share of asked samples that arrived; for the stop conditions the share of
// asked samples that arrived; the client's CPU time and peak RSS. Aim: p99 under 10 ms, 99%.
//   node bench/sampling.mjs [--seconds 10] [--rounds 1] [--conditions 100] [--compare checkout] [--profile dir]
// `--compare checkout` adds a row for another checkout's build (an older one), in the same rounds.
// `--profile dir` writes a --cpu-prof profile of each client process into dir.
// Bounded: every loop stops at its deadline; requests go only to 127.0.0.1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const CONDITION_EVERY_MS = 100;
const WAIT_EVERY_MS = 50;
const MAX_SECONDS = 60;

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    'wait-port': { type: 'string' },
    'cond-port': { type: 'string' },
    tag: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    conditions: { type: 'string', default: '100' },
    profile: { type: 'string' },
    compare: { type: 'string' },
    checkout: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const conditions = Number(values.conditions);
if (!(seconds > 0 && seconds <= MAX_SECONDS)) throw new Error(`--seconds takes a number above 0 and up to ${MAX_SECONDS}`);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds takes a whole number from 1 to 10');
if (!Number.isInteger(conditions) || conditions < 0 || conditions > 500) throw new Error('--conditions takes a whole number from 0 to 500');
const here = join(import.meta.dirname, '..');

const roles = { main, server, firedrill: firedrillClient, bare: bareClient };
await roles[values.role]();

// ---------------------------------------------------------------------------------------------
// The server: answers 200 "ok" to everything; keeps the arrival times of /wait/<tag> and the count
// of /cond/<tag>/… per tag, and hands them over (and forgets them) on GET /times/<tag>.

async function server() {
  const waits = new Map();
  const conds = new Map();
  const httpServer = http.createServer((req, res) => {
    const arrivedNs = process.hrtime.bigint();
    const [, kind, tag] = req.url.split('/');
    if (kind === 'wait') (waits.get(tag) ?? waits.set(tag, []).get(tag)).push(arrivedNs);
    if (kind === 'cond') conds.set(tag, (conds.get(tag) ?? 0) + 1);
    if (kind === 'times') {
      const body = JSON.stringify({ waitNs: (waits.get(tag) ?? []).map(String), conditions: conds.get(tag) ?? 0 });
      waits.delete(tag);
      conds.delete(tag);
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  httpServer.keepAliveTimeout = 30_000;
  httpServer.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: httpServer.address().port })));
  // The parent closes stdin when it is done (or dies): the server ends with it.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// firedrill's own scheduling, through the built modules.

async function firedrillClient() {
  const dist = join(values.checkout ?? here, 'dist');
  const { systemClock } = await import(join(dist, 'clock.js'));
  const { EventBus } = await import(join(dist, 'run', 'event-bus.js'));
  const { StopConditionWatch } = await import(join(dist, 'run', 'stop-conditions.js'));
  const { runWaitStep } = await import(join(dist, 'run', 'steps', 'wait-step.js'));
  const { JournalWriter } = await import(join(dist, 'journal', 'writer.js'));
  const { httpProbeSchema } = await import(join(dist, 'probes', 'http.js'));

  const waitBase = `http://127.0.0.1:${values['wait-port']}`;
  const condBase = `http://127.0.0.1:${values['cond-port']}`;
  const runDir = mkdtempSync(join(tmpdir(), 'firedrill-bench-sampling-'));
  const bus = new EventBus(systemClock);
  const writer = JournalWriter.open(join(runDir, 'journal.jsonl'));
  bus.subscribe((event) => writer.append(event));
  const drill = new AbortController();
  const specs = Array.from({ length: conditions }, (_, i) => ({
    name: `condition ${i}`,
    probe: httpProbeSchema.parse({ kind: 'http', url: `${condBase}/cond/${values.tag}/${i}` }),
    every: CONDITION_EVERY_MS,
    tolerate: 86_400_000,
    from: 'start',
  }));
  const watch = new StopConditionWatch(
    { engine: undefined, topology: undefined, clock: systemClock, bus },
    specs,
    () => {
      throw new Error('a stop condition breached: the server did not answer');
    },
    drill.signal,
  );
  const wait = {
    probe: httpProbeSchema.parse({ kind: 'http', url: `${waitBase}/wait/${values.tag}`, expect: { bodyContains: 'never' } }),
    every: WAIT_EVERY_MS,
    timeout: seconds * 1000,
    consecutive: 1,
  };
  const ctx = { bus, clock: systemClock, engine: undefined, topology: undefined, facts: { applied: [] } };

  const cpuBefore = process.cpuUsage();
  watch.begin('start');
  const outcome = await runWaitStep(ctx, { section: 'steps', index: 0 }, wait, drill.signal);
  watch.stop();
  const cpu = process.cpuUsage(cpuBefore);
  writer.close();
  rmSync(runDir, { recursive: true, force: true });
  if (outcome.ok) throw new Error('the wait step held: it must poll until its timeout');
  report(cpu);
}

// ---------------------------------------------------------------------------------------------
// The floor: the same requests at the same rates from plain Node.

async function bareClient() {
  const agent = new http.Agent({ keepAlive: true });
  const request = (port, path) =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: Number(port), path, agent, timeout: 2000 }, (res) => {
        res.on('data', () => undefined);
        res.on('end', resolve);
        res.on('error', resolve);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', resolve);
    });
  const sleepUntil = (ns) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(ns - process.hrtime.bigint()) / 1e6)));
  const startNs = process.hrtime.bigint();
  const endNs = startNs + BigInt(seconds * 1000) * 1_000_000n;
  // firedrill's rule for a sample that overran: the next starts at once and the grid counts on from
  // there, missed instants are not made up in a burst.
  async function loop(port, path, everyMs) {
    const everyNs = BigInt(everyMs) * 1_000_000n;
    for (let dueNs = startNs; dueNs <= endNs; ) {
      await sleepUntil(dueNs);
      await request(port, path);
      dueNs += everyNs;
      const nowNs = process.hrtime.bigint();
      if (dueNs < nowNs) dueNs = nowNs;
    }
  }

  const cpuBefore = process.cpuUsage();
  await Promise.all([
    loop(values['wait-port'], `/wait/${values.tag}`, WAIT_EVERY_MS),
    ...Array.from({ length: conditions }, (_, i) => loop(values['cond-port'], `/cond/${values.tag}/${i}`, CONDITION_EVERY_MS)),
  ]);
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  report(cpu);
}

function report(cpu) {
  console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS }));
}

// ---------------------------------------------------------------------------------------------
// The parent: starts the server, runs the clients in alternating rounds, prints the table.

async function main() {
  for (const checkout of [here, ...(values.compare ? [resolve(values.compare)] : [])]) {
    if (existsSync(join(checkout, 'dist', 'run', 'stop-conditions.js'))) continue;
    console.error(`build first: npm run build (no dist/run/stop-conditions.js in ${checkout})`);
    process.exit(1);
  }
  const waitServer = await startServer();
  const condServer = await startServer();
  const profileArgs = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const sides = [
    { name: 'firedrill', role: 'firedrill', checkout: here },
    ...(values.compare ? [{ name: `firedrill ${values.compare}`, role: 'firedrill', checkout: resolve(values.compare) }] : []),
    { name: 'bare loop', role: 'bare', checkout: here },
  ];
  const results = new Map(sides.map((side) => [side.name, []]));
  const loadBefore = loadavg()[0].toFixed(2);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [index, side] of sides.entries()) {
        const tag = `${index}-${round}`;
        const ports = ['--wait-port', String(waitServer.port), '--cond-port', String(condServer.port)];
        const roleArgs = ['--role', side.role, ...ports, '--tag', tag, '--checkout', side.checkout];
        const sizeArgs = ['--seconds', String(seconds), '--conditions', String(conditions)];
        const client = await runClient([...profileArgs, import.meta.filename, ...roleArgs, ...sizeArgs]);
        const { waitNs } = JSON.parse(await get(waitServer.port, `/times/${tag}`));
        const { conditions: conditionsTaken } = JSON.parse(await get(condServer.port, `/times/${tag}`));
        results.get(side.name).push({ ...client, waitNs: waitNs.map(BigInt), conditions: conditionsTaken });
      }
    }
  } finally {
    waitServer.process.stdin.end();
    condServer.process.stdin.end();
  }
  const loadAfter = loadavg()[0].toFixed(2);
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, ${rounds} round(s) of ${seconds}s per side, ${conditions} stop conditions every ` +
      `${CONDITION_EVERY_MS}ms, a wait every ${WAIT_EVERY_MS}ms; load average (1 min) ${loadBefore} before, ${loadAfter} after`,
  );
  console.table(Object.fromEntries([...results].map(([side, runs]) => [side, summarise(runs)])));
  console.log('aim: wait jitter p99 under 10 ms and 99% of the wait samples taken');
}

async function startServer() {
  const child = spawn(process.execPath, [import.meta.filename, '--role', 'server'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [firstLine] = await once(createInterface({ input: child.stdout }), 'line');
  return { process: child, port: JSON.parse(firstLine).port };
}

function runClient(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('close', (code) => {
      clearTimeout(limit);
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** One side's figures over its rounds: the wait's jitter over every gap of every round, shares over all rounds. */
function summarise(runs) {
  const jitterMs = [];
  let waitTaken = 0;
  let conditionsTaken = 0;
  for (const run of runs) {
    waitTaken += run.waitNs.length;
    conditionsTaken += run.conditions;
    for (let i = 1; i < run.waitNs.length; i++) jitterMs.push(Math.abs(Number(run.waitNs[i] - run.waitNs[i - 1]) / 1e6 - WAIT_EVERY_MS));
  }
  jitterMs.sort((a, b) => a - b);
  const at = (q) => jitterMs[Math.min(jitterMs.length - 1, Math.ceil(q * jitterMs.length) - 1)] ?? Number.NaN;
  // Asked: a sample at 0, every, 2·every, … up to the end, inclusive.
  const waitAsked = runs.length * (Math.floor((seconds * 1000) / WAIT_EVERY_MS) + 1);
  const conditionsAsked = runs.length * conditions * (Math.floor((seconds * 1000) / CONDITION_EVERY_MS) + 1);
  return {
    'wait jitter p50 ms': at(0.5).toFixed(1),
    'p99 ms': at(0.99).toFixed(1),
    'max ms': at(1).toFixed(1),
    'wait samples taken': `${((100 * waitTaken) / waitAsked).toFixed(1)}%`,
    'condition samples taken': conditions === 0 ? '' : `${((100 * conditionsTaken) / conditionsAsked).toFixed(1)}%`,
    'CPU s': (runs.reduce((sum, run) => sum + run.cpuMs, 0) / runs.length / 1000).toFixed(2),
    'peak RSS MiB': Math.round(Math.max(...runs.map((run) => run.maxRssKiB)) / 1024),
  };
}
