import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { processKill } from '../../../src/faults/process-kill.js';
import { DEFAULT_HELPER_IMAGE } from '../../../src/plan/plan.js';
import { faultContext, recordFor, useFixtureProjects, waitForStatus } from '../compose-project.js';
import { exitCodeOf, plannedRecord, sh } from './container-faults.js';

const projects = useFixtureProjects('container-faults', 1);

describe('process-kill against a real compose project', () => {
  const main = () => projects()[0]!;

  /** The worker anew: PID 1 a shell waiting on `tail` and `sleep 1000001`. */
  async function freshWorker(): Promise<string> {
    const id = (await main().container('worker')).id;
    await main().engine.restart(id, { timeoutSeconds: 1 });
    expect(await sh(main().engine, id, 'pgrep -x sleep >/dev/null && pgrep -x tail >/dev/null && echo both')).toBe('both');
    return id;
  }

  it('kills a process by name from a helper; the container and its other processes run on', async () => {
    const id = await freshWorker();
    const record = await plannedRecord(processKill, { kind: 'process-kill', service: 'worker', process: 'sleep' }, main());
    const [sleeping] = (record.targets[0]!.before as { processes: { pid: number; name: string }[] }).processes;
    expect(sleeping).toMatchObject({ name: 'sleep' });
    expect(processKill.plan(record)[0]!.measured).toBe(`matching: sleep pid ${sleeping!.pid}`);

    await processKill.inject(record, faultContext(main().engine));

    expect(await exitCodeOf(main().engine, id, 'pgrep -x sleep')).toBe(1);
    expect(await exitCodeOf(main().engine, id, 'pgrep -x tail')).toBe(0);
    expect((await main().engine.inspectState(id)).status).toBe('running');
    const result = await processKill.revert(record, faultContext(main().engine));
    expect(result).toEqual({
      verified: true,
      done: ['killed processes cannot be revived; checked that every container runs', `${record.targets[0]!.name} was running`],
      problems: [],
      manual: [],
    });
  });

  it('revert leaves a container stopped or paused by something else (a newer fault) as it found it', async () => {
    const id = await freshWorker();
    const record = await plannedRecord(processKill, { kind: 'process-kill', service: 'worker', process: 'sleep' }, main());
    await processKill.inject(record, faultContext(main().engine));
    await main().engine.stop(id, { timeoutSeconds: 1 }); // as a newer `service` stop fault would

    const stopped = await processKill.revert(record, faultContext(main().engine));

    expect(stopped).toMatchObject({ verified: true, problems: [] });
    expect(stopped.done[1]).toMatch(/is exited, and this fault did not signal its main process .*: left as it is/);
    expect((await main().engine.inspectState(id)).status).toBe('exited');

    await main().engine.start(id);
    await main().engine.pause(id); // as a newer `service` pause fault would
    try {
      const paused = await processKill.revert(record, faultContext(main().engine));
      expect(paused.done[1]).toMatch(/is paused, not by this fault .*: left paused/);
      expect((await main().engine.inspectState(id)).status).toBe('paused');
    } finally {
      await main().engine.unpause(id);
    }
  });

  it("refuses at plan time a service in the host's PID namespace (pid: host): pkill there would reach the host", async () => {
    const planning = plannedRecord(processKill, { kind: 'process-kill', service: 'hostpid', pattern: 'dockerd' }, main());
    await expect(planning).rejects.toThrow(ScopeError);
    await expect(planning).rejects.toThrow(/refuses container .*hostpid.*: it shares the PID namespace of the host \(pid: host\)/);
  });

  it('matches a pattern against the whole command line, leaving the shell whose command line also contains it', async () => {
    const id = await freshWorker();
    const record = await plannedRecord(
      processKill,
      { kind: 'process-kill', service: 'worker', pattern: '^sleep 1000001$', signal: 'TERM' },
      main(),
    );
    expect(record.spec.signal).toBe('SIGTERM');

    await processKill.inject(record, faultContext(main().engine));

    expect(await exitCodeOf(main().engine, id, 'pgrep -x sleep')).toBe(1);
    expect(await sh(main().engine, id, 'cat /proc/1/comm')).toBe('sh');
    expect((await main().engine.inspectState(id)).status).toBe('running');
  });

  it('kills PID 1 through the engine (the kernel ignores SIGKILL to init from inside); revert starts the container again', async () => {
    const id = (await main().container('single')).id;
    const record = await plannedRecord(processKill, { kind: 'process-kill', service: 'single', process: 'sleep' }, main());
    expect(processKill.plan(record)[0]).toMatchObject({
      apply: expect.stringMatching(/PID 1 is the container's main process/),
      measured: 'matching: sleep pid 1',
    });

    await processKill.inject(record, faultContext(main().engine));

    expect(await waitForStatus(main().engine, id, 'exited')).toBe('exited');
    const result = await processKill.revert(record, faultContext(main().engine));
    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toContain(`started ${record.targets[0]!.name} (it was exited: this fault signalled its main process (PID 1))`);
    expect((await main().engine.inspectState(id)).status).toBe('running');
    expect(await sh(main().engine, id, 'cat /proc/1/comm')).toBe('sleep');
  });

  it('refuses at plan time a process that does not run, naming those that do', async () => {
    await freshWorker();
    const planning = plannedRecord(processKill, { kind: 'process-kill', service: 'worker', process: 'redis-server' }, main());
    await expect(planning).rejects.toThrow(ScopeError);
    await expect(planning).rejects.toThrow(/no process named redis-server runs in container .*its processes are: sh, tail, sleep/);
  });

  it('never counts the helper itself, whose command line holds the pattern', async () => {
    const id = (await main().container('single')).id;
    const spec = { kind: 'process-kill', service: 'single', pattern: 'firedrill-process-kill' };
    await expect(plannedRecord(processKill, spec, main())).rejects.toThrow(
      /no process whose command line matches \/firedrill-process-kill\/ runs/,
    );

    // Past preflight, the kill script's shell (named firedrill-process-kill) matches and is left out.
    const unchecked = { ...recordFor(processKill, spec, await main().discover()), helperImage: DEFAULT_HELPER_IMAGE };
    await expect(processKill.inject(unchecked, faultContext(main().engine))).rejects.toThrow(
      /no process whose command line matches .* was running in .*nothing was killed/,
    );
    expect((await main().engine.inspectState(id)).status).toBe('running');
  });

  it('an unknown signal is refused at plan time, and by the kill script itself before anything is signalled', async () => {
    const id = await freshWorker();
    const spec = { kind: 'process-kill', service: 'worker', process: 'sleep', signal: 'SIGNOPE' };
    await expect(plannedRecord(processKill, spec, main())).rejects.toThrow(/^unknown signal SIGNOPE: name a signal such as SIGKILL/);
    const unchecked = { ...recordFor(processKill, spec, await main().discover()), helperImage: DEFAULT_HELPER_IMAGE };
    await expect(processKill.inject(unchecked, faultContext(main().engine))).rejects.toThrow(/exited with code 4: unknown signal SIGNOPE/);
    expect(await exitCodeOf(main().engine, id, 'pgrep -x sleep')).toBe(0);
  });

  it('fails at inject when the process is gone by then, saying nothing was killed', async () => {
    const id = await freshWorker();
    const record = await plannedRecord(processKill, { kind: 'process-kill', service: 'worker', process: 'sleep' }, main());
    await sh(main().engine, id, 'pkill -x sleep; sleep 0.2; ! pgrep -x sleep');

    await expect(processKill.inject(record, faultContext(main().engine))).rejects.toThrow(
      /no process named sleep was running in .*nothing was killed/,
    );
    expect((await main().engine.inspectState(id)).status).toBe('running');
  });
});
