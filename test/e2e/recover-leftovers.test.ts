import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { lineHash } from '../../src/journal/entry.js';
import { NEVER_STARTED_AFTER_MS } from '../../src/recovery/leftovers.js';
import { LOCK_LABELS, projectLockName } from '../../src/lock/project-lock.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { firedrill, REPO_ROOT } from './cli-process.js';
import { neverRecoveringPlaybook, runUntilFaultApplied } from './interrupted-drill.js';

/**
 * What a firedrill killed at the wrong moment leaves on a project's engine, and `recover`
 * cleaning exactly that: helper containers created and never started, the project's lock, and
 * a run whose journal was damaged after its fault was applied. Two projects of the same fixture:
 * `shop`, the one recovered, and `other`, whose leftovers and live lock must never be touched.
 */
const CHILD = fileURLToPath(new URL('../integration/leftover-child.mjs', import.meta.url));
const docker = createDockerEngine();

/** A child process that leaves a leftover, once it says it is ready; killed by the test. */
async function leftoverChild(args: string[]): Promise<{ child: ResultPromise; said: string }> {
  const child = execa(process.execPath, ['--experimental-transform-types', '--no-warnings', CHILD, ...args], { reject: false, all: true });
  const said = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the child never got ready: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve(output.trim());
      }
    });
    void child.then((ended) => reject(new Error(`the child ended first: ${ended.all}`)));
  });
  return { child, said };
}

async function killed(child: ResultPromise): Promise<void> {
  child.kill('SIGKILL');
  const ended = await child;
  expect(ended.signal).toBe('SIGKILL');
}

/** A helper as the Docker adapter creates it, beside `target`, by a process that is then SIGKILLed. */
async function helperOfKilledProcess(target: string, project: string | undefined, image: string): Promise<string> {
  const spec = { image, command: ['iptables', '-S'], networkOf: target, capAdd: ['NET_ADMIN'], labels: { 'firedrill.fault': 'cut' } };
  const { child, said } = await leftoverChild(['helper', JSON.stringify(spec), ...(project ? [project] : [])]);
  await killed(child);
  return said.replace('ready ', '');
}

/** A never-started helper as a version of firedrill before the project and maker labels made it. */
async function helperOfOlderVersion(target: string, image: string): Promise<string> {
  const { stdout } = await execa('docker', [
    'create',
    '--label',
    'firedrill.helper=true',
    '--label',
    'firedrill.fault=cut',
    '--network',
    `container:${target}`,
    '--cap-add',
    'NET_ADMIN',
    '--entrypoint',
    '',
    image,
    'iptables',
    '-S',
  ]);
  return stdout.trim();
}

/** Lines edited on purpose, chained again as the writer would have chained them: no gap is seen. */
function rechained(lines: string[]): string[] {
  let prev = '0'.repeat(64);
  return lines.map((line) => {
    if (line === '') return line;
    const chained = JSON.stringify({ ...(JSON.parse(line) as object), prev });
    prev = lineHash(chained);
    return chained;
  });
}

async function exists(id: string): Promise<boolean> {
  return (await execa('docker', ['inspect', id], { reject: false })).exitCode === 0;
}

describe('recover removes what firedrill left behind on the project, and only that', () => {
  let shop: FixtureProject;
  let other: FixtureProject;
  let dir: string;
  const made: string[] = [];
  beforeAll(async () => {
    [shop, other] = await Promise.all([startFixtureProject('two-region'), startFixtureProject('two-region')]);
    dir = mkdtempSync(join(tmpdir(), 'firedrill-leftovers-'));
  });
  afterAll(async () => {
    for (const id of made) await execa('docker', ['rm', '-f', id], { reject: false });
    await Promise.all([shop, other].filter(Boolean).map(stopFixtureProject));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('helpers created and never started: removed by id and named, when their maker is gone; another project’s left alone', async () => {
    const web = await shop.container('web-a');
    const cache = await shop.container('cache-a');
    const theirs = await other.container('web-a');
    const image = web.imageId;
    const labelled = await helperOfKilledProcess(web.id, shop.project, image);
    const unlabelled = await helperOfKilledProcess(cache.id, undefined, image); // the adapter did not know the project
    const older = await helperOfOlderVersion(web.id, image);
    const otherProjects = [await helperOfKilledProcess(theirs.id, other.project, image), await helperOfOlderVersion(theirs.id, image)];
    made.push(labelled, unlabelled, older, ...otherProjects);
    for (const id of made) expect(await exists(id)).toBe(true);
    const runs = join(dir, 'runs-empty');

    const first = await firedrill(['recover', '--project', shop.project, '--runs-dir', runs]);
    expect(first.exitCode, String(first.all)).toBe(0);
    expect(await exists(labelled)).toBe(false);
    expect(await exists(unlabelled)).toBe(false);
    for (const id of [labelled, unlabelled]) expect(first.stdout).toContain(`: container ${id.slice(0, 12)}`);
    expect(first.stdout).toMatch(
      new RegExp(`removed helper container firedrill-helper-[0-9a-f]+ beside ${web.name} \\(never started, made by pid \\d+`),
    );
    // One made by an older version names no maker: it is judged by its age, and it is young.
    expect(await exists(older)).toBe(true);
    expect(first.stdout).toContain(`(container ${older.slice(0, 12)}): its maker cannot be checked from here`);
    expect(first.stdout).toContain(`no run of project ${shop.project} in ${runs} left a fault applied`);

    await sleep(NEVER_STARTED_AFTER_MS + 1000);
    const second = await firedrill(['recover', '--project', shop.project, '--runs-dir', runs]);
    expect(second.exitCode, String(second.all)).toBe(0);
    expect(await exists(older)).toBe(false);
    expect(second.stdout).toContain(`removed helper container`);
    expect(second.stdout).toContain(`: container ${older.slice(0, 12)}`);
    for (const id of otherProjects) expect(await exists(id)).toBe(true);

    const third = await firedrill(['recover', '--project', shop.project, '--runs-dir', runs]);
    expect(third.stdout).toBe(`nothing to recover: no run of project ${shop.project} in ${runs} left a fault applied`);
  });

  it('a helper the adapter runs beside a project container carries the project and its maker', async () => {
    const web = await shop.container('web-a');
    const running = docker.runHelper({ image: web.imageId, command: ['sleep', '3'], networkOf: web.id });
    let labels: Record<string, string> | undefined;
    for (let i = 0; i < 50 && !labels; i += 1) {
      labels = (await docker.listOwnContainers('firedrill.helper=true')).find((c) => c.joins.includes(web.id))?.labels;
      if (!labels) await sleep(100);
    }
    await running;
    expect(labels).toMatchObject({ 'firedrill.project': shop.project, 'firedrill.helper.pid': String(process.pid) });
  });

  it('a lock left by a process killed before its journal began is removed; a live holder’s lock is left alone', async () => {
    const image = (await shop.container('web-a')).imageId;
    const { child: dead } = await leftoverChild(['lock', shop.project, image]);
    const lockId = (await execa('docker', ['inspect', '--format', '{{.Id}}', projectLockName(shop.project)])).stdout.trim();
    await killed(dead);
    const { child: alive } = await leftoverChild(['lock', other.project, image]);
    try {
      // `recover <run-dir>` of a run of the project that left nothing applied cleans the project too.
      const runDir = join(dir, 'runs-lock', '20261120T090000Z-region-a-loss-0a0a0a');
      mkdirSync(runDir, { recursive: true });
      const passed = readFileSync(join(REPO_ROOT, 'test/fixtures/journals/region-a-loss-passed/journal.jsonl'), 'utf8').split('\n');
      passed[0] = JSON.stringify({ ...JSON.parse(passed[0]!), data: { ...JSON.parse(passed[0]!).data, project: shop.project } });
      writeFileSync(join(runDir, 'journal.jsonl'), rechained(passed).join('\n'));

      const recovered = await firedrill(['recover', runDir]);
      expect(recovered.exitCode, String(recovered.all)).toBe(0);
      expect(recovered.stdout).toContain(
        `took over the stale lock ${projectLockName(shop.project)} of a drill of playbook killed-before-its-journal (pid ${dead.pid}`,
      );
      expect(recovered.stdout).toContain(`the stale lock ${projectLockName(shop.project)} is gone`);
      expect(await exists(lockId)).toBe(false);
      expect(await shop.engine.readLock(projectLockName(shop.project))).toBeUndefined();

      const busy = await firedrill(['recover', '--project', other.project, '--runs-dir', join(dir, 'runs-none')]);
      expect(busy.exitCode, String(busy.all)).toBe(0);
      expect(busy.stdout).toContain(
        `the lock of project ${other.project} is held by a drill of playbook killed-before-its-journal (pid ${alive.pid}`,
      );
      expect((await other.engine.readLock(projectLockName(other.project)))?.[LOCK_LABELS.pid]).toBe(String(alive.pid));
    } finally {
      alive.kill('SIGKILL');
      await alive;
      await other.engine.removeLock(projectLockName(other.project));
    }
  });

  it('a run SIGKILLed with its fault applied whose journal then got a garbage line: run refuses, recover reverts what it can read and does not call the project clean', async () => {
    const runs = join(dir, 'runs-damaged');
    const file = neverRecoveringPlaybook(dir, shop, 'paused-then-killed', { kind: 'service', service: 'web-b', mode: 'pause' });
    const { child } = await runUntilFaultApplied(file, runs);
    await killed(child);
    expect((await shop.container('web-b')).status).toBe('paused');
    const runDir = join(runs, (await import('node:fs')).readdirSync(runs)[0]!);
    const journal = join(runDir, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    const injecting = lines.findIndex((line) => line.includes('"type":"fault.injecting"'));
    lines.splice(injecting + 1, 0, 'garbage');
    writeFileSync(journal, `${lines.join('\n')}\n`);

    const another = neverRecoveringPlaybook(dir, shop, 'another', { kind: 'service', service: 'web-a', mode: 'pause' });
    const refused = await firedrill(['run', another, '--runs-dir', runs]);
    expect(refused.exitCode, String(refused.all)).toBe(5);
    expect(refused.stderr).toContain(`journal.jsonl:${injecting + 2}: this line is not valid JSON`);
    expect((await shop.container('web-a')).status).toBe('running');

    const recovered = await firedrill(['recover', '--project', shop.project, '--runs-dir', runs]);
    expect(recovered.exitCode, String(recovered.all)).toBe(5);
    expect((await shop.container('web-b')).status).toBe('running');
    expect(recovered.stdout).not.toContain('nothing to recover');
    expect(recovered.stdout).toContain(`could not read all of run ${/"runId":"([^"]+)"/.exec(lines[0]!)![1]}`);
    expect(recovered.stdout).toContain('every fault record that could be read was reverted above');
    expect(recovered.stdout).toContain(`then move the run directory out of ${runs}`);
    expect(await shop.engine.readLock(projectLockName(shop.project))).toBeUndefined();

    // Still refused while the damaged run is among the runs; moved out (kept), the project is clean.
    expect((await firedrill(['run', another, '--runs-dir', runs])).exitCode).toBe(5);
    renameSync(runDir, join(dir, 'kept-damaged-run'));
    const clean = await firedrill(['recover', '--project', shop.project, '--runs-dir', runs]);
    expect(clean.stdout).toContain('nothing to recover');
  });

  it('recover <run-dir> of a run whose start record is garbage: the project comes from its fault’s containers, and its lock is held while reverting', async () => {
    const runs = join(dir, 'runs-no-start');
    const file = neverRecoveringPlaybook(dir, shop, 'start-record-lost', { kind: 'service', service: 'cache-a', mode: 'pause' });
    const { child } = await runUntilFaultApplied(file, runs);
    await killed(child);
    expect((await shop.container('cache-a')).status).toBe('paused');
    const runDir = join(runs, (await import('node:fs')).readdirSync(runs)[0]!);
    const journal = join(runDir, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[0] = lines[0]!.slice(0, 40);
    writeFileSync(journal, lines.join('\n'));

    const wrong = await firedrill(['recover', runDir, '--project', other.project]);
    expect(wrong.exitCode, String(wrong.all)).toBe(2);
    expect(wrong.stderr).toContain(`not all of them are of project ${other.project}`);
    expect((await shop.container('cache-a')).status).toBe('paused');

    const recovered = await firedrill(['recover', runDir]);
    expect(recovered.exitCode, String(recovered.all)).toBe(5);
    expect((await shop.container('cache-a')).status).toBe('running');
    expect(recovered.stdout).toContain(`on project "${shop.project}"`);
    const recoveryJournal = (await import('node:fs')).readdirSync(runDir).find((name) => name.startsWith('recovery-'))!;
    const started = JSON.parse(readFileSync(join(runDir, recoveryJournal), 'utf8').split('\n')[0]!) as {
      data: { project: string; lock?: { name: string } };
    };
    expect(started.data).toMatchObject({ project: shop.project, lock: { name: projectLockName(shop.project) } });
    expect(await shop.engine.readLock(projectLockName(shop.project))).toBeUndefined();
  });
});
