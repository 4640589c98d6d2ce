import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/reader.js';
import { detectCompose } from '../../src/topology/compose-cli.js';
import { LOCK_LABELS, projectLockName } from '../../src/lock/project-lock.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { firedrill, REPO_ROOT } from './cli-process.js';
import { neverRecoveringPlaybook, runUntilFaultApplied } from './interrupted-drill.js';

/**
 * `firedrill plan`, the plan hash, scope and the one-drill-per-project lock, through the built
 * CLI against two copies of the same fixture: `main`, which the drills target, and `lookalike`,
 * a second compose project with the very same service names that must never be touched.
 */
describe('plan, scope and the project lock', () => {
  let main: FixtureProject;
  let lookalike: FixtureProject;
  let dir: string;
  beforeAll(async () => {
    [main, lookalike] = await Promise.all([startFixtureProject('two-region'), startFixtureProject('two-region')]);
    dir = mkdtempSync(join(tmpdir(), 'firedrill-plan-lock-'));
  });
  afterAll(async () => {
    // A failed test may have left a lock: remove exactly the ones these projects use.
    for (const project of [main, lookalike]) await project?.engine.removeLock(projectLockName(project.project)).catch(() => undefined);
    await Promise.all([main, lookalike].filter(Boolean).map(stopFixtureProject));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Status and start time of every container: what "touched nothing" is checked against. */
  async function snapshot(project: FixtureProject): Promise<Record<string, string>> {
    const states: Record<string, string> = {};
    for (const service of (await project.discover()).services) {
      for (const c of service.containers) {
        const state = await project.engine.inspectState(c.id);
        states[c.name] = `${state.status} since ${state.startedAt ?? '?'}`;
      }
    }
    return states;
  }

  function playbook(name: string, steps: string[]): string {
    const file = join(dir, `${name}.yaml`);
    const head = [
      `name: ${name}`,
      'title: Plan and lock',
      'summary: A drill against the fixture.',
      'topology:',
      `  composeFile: ${main.file}`,
      `  project: ${main.project}`,
      'steps:',
    ];
    writeFileSync(file, `${[...head, ...steps].join('\n')}\n`);
    return file;
  }

  const killWebA = () =>
    playbook('kill-web-a', [
      '  - name: kill web-a',
      '    inject: { kind: service, id: web-a-down, service: web-a, mode: kill }',
      '  - name: the client still answers',
      '    wait: { probe: { kind: exec, service: client, command: ["true"] }, every: 250ms, timeout: 20s }',
    ]);

  const lockOf = (project: FixtureProject) => project.engine.readLock(projectLockName(project.project));

  it('plan shows every target and the plan hash, the same twice, and touches nothing', async () => {
    const file = killWebA();
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const before = { main: await snapshot(main), lookalike: await snapshot(lookalike) };
    const webA = await main.container('web-a');

    const text = await firedrill(['plan', file], { cwd });
    expect(text.exitCode, String(text.all)).toBe(0);
    expect(text.stdout).toContain(
      `fault "web-a-down" (service) on 1 container:\n         ${webA.name} (service web-a, id ${webA.id.slice(0, 12)})`,
    );
    expect(text.stdout).toContain(`do    kill container ${webA.name} (service web-a) with SIGKILL`);
    expect(text.stdout).toContain(`undo  start ${webA.name} again and check that it is running`);
    const hash = /^Plan hash: ([0-9a-f]{64})$/m.exec(String(text.stdout))?.[1];
    expect(hash).toBeDefined();

    const json = await firedrill(['plan', file, '--json'], { cwd });
    expect(json.exitCode).toBe(0);
    const doc = JSON.parse(String(json.stdout)) as { planHash: string; steps: { fault?: { targets: { containerId: string }[] } }[] };
    expect(doc.planHash).toBe(hash);
    expect(doc.steps[0]?.fault?.targets.map((t) => t.containerId)).toEqual([webA.id]);

    expect({ main: await snapshot(main), lookalike: await snapshot(lookalike) }).toEqual(before);
    expect(existsSync(join(cwd, '.firedrill'))).toBe(false);
    expect(await lockOf(main)).toBeUndefined();
  });

  it('run --plan-hash refuses a plan that is not the approved one (exit 2), before anything is created', async () => {
    const runs = join(dir, 'runs-wrong-hash');
    const before = await snapshot(main);
    const refused = await firedrill(['run', killWebA(), '--runs-dir', runs, '--plan-hash', 'ab'.repeat(32)]);
    expect(refused.exitCode, String(refused.all)).toBe(2);
    expect(refused.stderr).toContain(`is not the approved one (--plan-hash ${'ab'.repeat(32)})`);
    expect(existsSync(runs)).toBe(false);
    expect(await snapshot(main)).toEqual(before);
  });

  it('refuses a project outside FIREDRILL_ALLOWED_PROJECTS or the config file (exit 2)', async () => {
    const file = killWebA();
    const byEnv = await firedrill(['plan', file], { env: { FIREDRILL_ALLOWED_PROJECTS: 'staging-*,demo' } });
    expect(byEnv.exitCode).toBe(2);
    expect(byEnv.stderr).toContain(
      `compose project ${main.project} is outside the allowed projects (FIREDRILL_ALLOWED_PROJECTS allows staging-*, demo)`,
    );

    const config = join(dir, 'firedrill.config.yaml');
    writeFileSync(config, `allowedProjects: ["${lookalike.project}"]\n`);
    const byFile = await firedrill(['run', file, '--config', config, '--runs-dir', join(dir, 'runs-scope')]);
    expect(byFile.exitCode).toBe(2);
    expect(byFile.stderr).toContain(`${config} allows ${lookalike.project}`);
    expect(existsSync(join(dir, 'runs-scope'))).toBe(false);

    const allowed = await firedrill(['plan', file, '--config', config], { env: { FIREDRILL_ALLOWED_PROJECTS: 'fdtest-*' } });
    expect(allowed.exitCode).toBe(2); // still refused: the project must match every list
    writeFileSync(config, 'allowedProjects: ["fdtest-*"]\n');
    expect((await firedrill(['plan', file, '--config', config], { env: { FIREDRILL_ALLOWED_PROJECTS: main.project } })).exitCode).toBe(0);
  });

  it('a drill run with the approved hash acts on its project only: the look-alike project stays untouched', async () => {
    const file = killWebA();
    const hash = /^Plan hash: ([0-9a-f]{64})$/m.exec(String((await firedrill(['plan', file])).stdout))?.[1];
    const lookalikeBefore = await snapshot(lookalike);
    const webABefore = await main.engine.inspectState((await main.container('web-a')).id);

    const result = await firedrill(['run', file, '--runs-dir', join(dir, 'runs-approved'), '--plan-hash', `sha256:${hash}`]);
    expect(result.exitCode, String(result.all)).toBe(0);

    // The drill really did kill and restart main's web-a …
    const webAAfter = await main.engine.inspectState((await main.container('web-a')).id);
    expect(webAAfter.status).toBe('running');
    expect(webAAfter.startedAt).not.toBe(webABefore.startedAt);
    // … and nothing in the project with the same service names.
    expect(await snapshot(lookalike)).toEqual(lookalikeBefore);

    const runDir = /run directory: (\S+)/.exec(String(result.stdout))![1]!;
    const journal = await readJournal(join(REPO_ROOT, runDir, 'journal.jsonl'));
    const started = journal.find((e) => e.type === 'drill.started');
    expect(started?.data).toMatchObject({ planHash: hash, lock: { name: projectLockName(main.project) } });
    expect(await readFile(join(REPO_ROOT, runDir, 'report.md'), 'utf8')).toContain(`| Plan hash | \`${hash}\` |`);
    expect(await lockOf(main)).toBeUndefined();
  });

  it('in a terminal, shows the plan and asks; "n" leaves everything untouched (exit 4, no run directory)', async () => {
    const file = killWebA();
    const runs = join(dir, 'runs-declined');
    const before = await snapshot(main);
    // `script` gives the CLI a pseudo-terminal on stdin and stdout, as a person's terminal would.
    const command = `${process.execPath} ${join(REPO_ROOT, 'bin/firedrill.js')} run ${file} --runs-dir ${runs}`;
    const answered = await execa('script', ['-qec', command, '/dev/null'], {
      input: 'n\n',
      env: { CI: '', NO_COLOR: '1', TERM: 'xterm' },
      reject: false,
      timeout: 120_000,
    });
    expect(answered.exitCode, answered.stdout).toBe(4);
    expect(answered.stdout).toContain('Plan hash: ');
    expect(answered.stdout).toContain('Run this drill? [y/N]');
    expect(answered.stdout).toContain('not run — the drill was not confirmed; nothing was touched');
    expect(existsSync(runs)).toBe(false);
    expect(await snapshot(main)).toEqual(before);
    expect(await lockOf(main)).toBeUndefined();
  });

  it('plans again under the lock: a target recreated while the prompt waited is refused (exit 2), nothing touched, the lock released', async () => {
    const file = killWebA();
    const runs = join(dir, 'runs-replanned');
    const command = `${process.execPath} ${join(REPO_ROOT, 'bin/firedrill.js')} run ${file} --runs-dir ${runs}`;
    const child = execa('script', ['-qec', command, '/dev/null'], {
      env: { CI: '', NO_COLOR: '1', TERM: 'xterm' },
      reject: false,
      timeout: 120_000,
    });
    await outputContains(child, 'Run this drill? [y/N]');
    // While the person reads the plan, web-a is recreated: the container the plan pinned is gone.
    const shown = await main.container('web-a');
    await recreateService(main, 'web-a');
    expect((await main.container('web-a')).id).not.toBe(shown.id);
    const before = await snapshot(main);
    child.stdin!.end('y\n');
    const answered = await child;
    expect(answered.exitCode, String(answered.stdout)).toBe(2);
    expect(answered.stdout).toContain("the plan resolved under the project's lock");
    expect(answered.stdout).toContain('is not the one approved');
    expect(existsSync(runs)).toBe(false);
    expect(await snapshot(main)).toEqual(before);
    expect(await lockOf(main)).toBeUndefined();
  });

  it('refuses a second drill on a project while the first runs (exit 3), naming the holder', async () => {
    const runs = join(dir, 'runs-concurrent');
    const first = neverRecoveringPlaybook(dir, main, 'first', { kind: 'service', service: 'web-b', mode: 'pause' });
    const { child } = await runUntilFaultApplied(first, runs);
    try {
      const lock = await lockOf(main);
      expect(lock?.[LOCK_LABELS.pid]).toBe(String(child.pid));

      // Same runs directory: the first run's applied fault is not mistaken for a crash's leftover.
      const second = await firedrill(['run', killWebA(), '--runs-dir', runs]);
      expect(second.exitCode, String(second.all)).toBe(3);
      expect(second.stderr).toContain(`compose project ${main.project} is busy: a drill of playbook first (pid ${child.pid} on host `);
      const recover = await firedrill(['recover', '--project', main.project, '--runs-dir', runs]);
      expect(recover.exitCode).toBe(3);
      expect(recover.stderr).toContain('is busy');
      expect((await main.container('web-a')).status).toBe('running');
    } finally {
      child.kill('SIGINT');
      await child;
    }
    expect((await main.container('web-b')).status).toBe('running');
    expect(await lockOf(main)).toBeUndefined();
  });

  it("a SIGKILLed run's lock is taken over by the next run on this host, and the journal says whose it was", async () => {
    const runs = join(dir, 'runs-killed');
    const waiting = playbook('waits-forever', [
      '  - name: wait for something that never happens',
      '    wait: { probe: { kind: exec, service: client, command: ["false"] }, every: 500ms, timeout: 2m }',
    ]);
    const child = firedrill(['run', waiting, '--runs-dir', runs]);
    await outputContains(child, 'first sample');
    child.kill('SIGKILL');
    await child;
    expect((await lockOf(main))?.[LOCK_LABELS.pid]).toBe(String(child.pid));

    const next = await firedrill(['run', killWebA(), '--runs-dir', runs]);
    expect(next.exitCode, String(next.all)).toBe(0);
    expect(next.stderr).toContain(
      `took over the stale lock ${projectLockName(main.project)} of a drill of playbook waits-forever (pid ${child.pid} on host `,
    );
    expect(next.stderr).toContain('its process is gone');
    const runDir = /run directory: (\S+)/.exec(String(next.stdout))![1]!;
    const started = (await readJournal(join(REPO_ROOT, runDir, 'journal.jsonl'))).find((e) => e.type === 'drill.started');
    expect(started?.data).toMatchObject({ lock: { tookOver: { pid: child.pid, playbook: 'waits-forever', why: 'process-gone' } } });
    expect(await lockOf(main)).toBeUndefined();
  });

  it('recover takes over the lock of a run killed with a fault applied, and reverts the fault', async () => {
    const runs = join(dir, 'runs-recover');
    const file = neverRecoveringPlaybook(dir, main, 'killed-paused', { kind: 'service', service: 'web-a', mode: 'pause' });
    const { child } = await runUntilFaultApplied(file, runs);
    child.kill('SIGKILL');
    await child;
    expect((await main.container('web-a')).status).toBe('paused');

    const recovered = await firedrill(['recover', '--project', main.project, '--runs-dir', runs]);
    expect(recovered.exitCode, String(recovered.all)).toBe(0);
    expect(recovered.stdout).toContain(
      `took over the stale lock ${projectLockName(main.project)} of a drill of playbook killed-paused (pid ${child.pid}`,
    );
    expect((await main.container('web-a')).status).toBe('running');
    expect(await lockOf(main)).toBeUndefined();
    // The recovery journal records whose lock it took over.
    const runDir = join(runs, readdirSync(runs)[0]!);
    const recoveryJournal = readdirSync(runDir).find((name) => name.startsWith('recovery-'))!;
    const started = (await readJournal(join(runDir, recoveryJournal))).find((event) => event.type === 'recovery.started');
    expect(started?.data).toMatchObject({
      lock: {
        name: projectLockName(main.project),
        tookOver: { purpose: 'run', playbook: 'killed-paused', pid: child.pid, why: 'process-gone' },
      },
    });
  });
});

/** Recreates a service's container through compose: same service, a new container id. */
async function recreateService(project: FixtureProject, service: string): Promise<void> {
  const [command, ...prefix] = (await detectCompose()).argv as [string, ...string[]];
  await execa(command, [...prefix, '-f', project.file, '-p', project.project, 'up', '-d', '--no-deps', '--force-recreate', service], {
    stdin: 'ignore',
    timeout: 120_000,
  });
}

/** Resolves once the process has printed `text` (bounded). */
function outputContains(child: ResultPromise, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`"${text}" never appeared in the output:\n${seen}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
