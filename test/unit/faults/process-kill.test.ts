import { describe, expect, it } from 'vitest';
import type { ExecResult, HelperSpec } from '../../../src/engine/ports.js';
import { InternalError, ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { processKill, type ProcessKillSpec } from '../../../src/faults/process-kill.js';
import { FakeEngine, type FakeContainerSeed } from '../../support/fake-engine.js';

const IMAGE = 'firedrill-base:bookworm';
const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '' });

/**
 * A worker service of two containers. Helpers answer as the real tools would: pgrep lists
 * `pids` (exit 1 when none), ps lists names, the kill script reports what it did.
 */
function setup(
  pids: Record<string, string> = { '7': 'sleep' },
  seeds: FakeContainerSeed[] = [{ service: 'worker' }, { service: 'worker' }],
) {
  const engine = new FakeEngine(seeds);
  const ctx = { engine, signal: new AbortController().signal };
  const helpers: HelperSpec[] = [];
  engine.onHelper((spec) => {
    helpers.push(spec);
    const matched = Object.entries(pids);
    if (spec.command[3] === 'firedrill-process-list')
      return matched.length ? ok(matched.map(([pid, name]) => `${pid} ${name}\n`).join('')) : { exitCode: 1, stdout: '', stderr: '' };
    if (spec.command[0] === 'ps') return ok('sh\ntail\nps\n');
    return ok(matched.map(([pid, name]) => (pid === '1' ? `main 1 ${name}\n` : `killed ${pid} ${name}\n`)).join(''));
  });
  const record = (input: Record<string, unknown>): FaultRecord<ProcessKillSpec> => {
    const spec = processKill.schema.parse({ kind: 'process-kill', service: 'worker', ...input });
    return {
      ref: 'pk',
      kind: 'process-kill',
      revertible: true,
      spec,
      targets: processKill.targets(spec, engine.topology()),
      helperImage: IMAGE,
    };
  };
  const planned = async (input: Record<string, unknown>) => {
    const unplanned = record(input);
    return (await processKill.preflight!(unplanned, ctx)) ?? unplanned;
  };
  const ids = engine.containersOf('worker').map((c) => c.id);
  return { engine, ctx, helpers, record, planned, ids };
}

describe('processKill schema', () => {
  const parse = (input: Record<string, unknown>) => processKill.schema.safeParse({ kind: 'process-kill', service: 'worker', ...input });

  it('takes a process name or a pattern, and a signal (SIGKILL by default)', () => {
    expect(parse({ process: 'redis-server' }).data).toMatchObject({ process: 'redis-server', signal: 'SIGKILL' });
    expect(parse({ pattern: 'node .*worker\\.js', signal: 'TERM' }).data).toMatchObject({ signal: 'SIGTERM' });
  });

  it('refuses both or neither, a name the kernel would have cut (over 15 characters), and a broken pattern', () => {
    expect(parse({}).error?.issues[0]?.message).toMatch(/give either `process`.*or `pattern`/);
    expect(parse({ process: 'a', pattern: 'b' }).success).toBe(false);
    expect(parse({ process: 'a-very-long-process' }).error?.issues[0]?.message).toMatch(/1 to 15 characters/);
    expect(parse({ pattern: '(' }).error?.issues[0]?.message).toMatch(/not a valid regular expression/);
  });
});

describe('processKill', () => {
  it('uses helpers; preflight lists the matches in a throw-away helper sharing the PID namespace, without network', async () => {
    const { helpers, planned, ids } = setup();
    expect(processKill.usesHelper).toBe(true);
    const record = await planned({ process: 'sleep' });
    expect(record.targets.map((t) => t.before)).toEqual([
      { processes: [{ pid: 7, name: 'sleep' }] },
      { processes: [{ pid: 7, name: 'sleep' }] },
    ]);
    expect(helpers[0]).toEqual({
      image: IMAGE,
      command: ['sh', '-c', expect.stringContaining('exec pgrep -l "$2" -- "$3"'), 'firedrill-process-list', 'KILL', '-x', 'sleep'],
      pidOf: ids[0],
      isolated: true,
      labels: { 'firedrill.fault': 'pk' },
    });
    expect(helpers.map((h) => h.pidOf)).toEqual(ids);
  });

  it('plans each container with what runs there now, and says when PID 1 is the target', async () => {
    const { planned } = setup({ '1': 'sleep' });
    const record = await planned({ process: 'sleep' });
    expect(processKill.describe(record.spec)).toBe('send SIGKILL to every process named sleep in every container of service worker');
    expect(processKill.plan(record)[0]).toEqual({
      apply:
        'send SIGKILL to every process named sleep in container demo-worker-1 (service worker), from a helper sharing its PID namespace; ' +
        "PID 1 is the container's main process: it is signalled through the engine and the container stops if it dies",
      revert: 'a killed process cannot be revived: check that demo-worker-1 is running, and start it if it stopped',
      measured: 'matching: sleep pid 1',
    });
  });

  it('keeps live PIDs out of what the plan hash covers: they are measured, not planned', async () => {
    const first = processKill.plan(await setup({ '7': 'sleep' }).planned({ process: 'sleep' }))[0]!;
    const later = processKill.plan(await setup({ '31': 'sleep', '32': 'sleep' }).planned({ process: 'sleep' }))[0]!;
    expect({ apply: later.apply, revert: later.revert }).toEqual({ apply: first.apply, revert: first.revert });
    expect(first.revert).toBe(
      'a killed process cannot be revived: check that demo-worker-1 is running (one stopped or paused by something else is left as it is)',
    );
    expect([first.measured, later.measured]).toEqual(['matching: sleep pid 7', 'matching: sleep pid 31, sleep pid 32']);
  });

  it("refuses a target sharing the host's PID namespace, or one outside the project: pkill there could reach anything", () => {
    const refused = (seeds: FakeContainerSeed[]) => {
      const { engine } = setup({}, seeds);
      const spec = processKill.schema.parse({ kind: 'process-kill', service: 'worker', process: 'sleep' });
      return () => processKill.targets(spec, engine.topology());
    };
    expect(refused([{ service: 'worker', pidMode: 'host' }])).toThrow(ScopeError);
    expect(refused([{ service: 'worker', pidMode: 'host' }])).toThrow(
      'process-kill refuses container demo-worker-1 (service worker): it shares the PID namespace of the host (pid: host), so pkill beside it ' +
        'could match processes outside compose project "demo" — leave this service out of process-kill, or give it a PID namespace of its own',
    );
    expect(refused([{ service: 'worker', pidMode: 'container:elsewhere' }])).toThrow(
      /it shares the PID namespace of container "elsewhere" \(pid: container:elsewhere\), which is not part of the project/,
    );
    // Through a container of the project that is itself in the host's namespace.
    const viaHost = [
      { service: 'worker', pidMode: 'container:demo-agent-1' },
      { service: 'agent', pidMode: 'host' },
    ];
    expect(refused(viaHost)).toThrow(/it shares the PID namespace of demo-agent-1, which is the host's/);
    // Another container of the project, by name or by id, is fine.
    const { engine } = setup({}, [{ service: 'db' }]);
    const dbId = engine.containersOf('db')[0]!.id;
    expect(refused([{ service: 'db' }, { service: 'worker', pidMode: `container:${dbId}` }])).not.toThrow();
    expect(refused([{ service: 'db' }, { service: 'worker', pidMode: 'container:demo-db-1' }])).not.toThrow();
  });

  it('zero matching processes at plan time is a ScopeError naming the processes that do run', async () => {
    const { planned } = setup({});
    await expect(planned({ process: 'redis-server' })).rejects.toThrow(ScopeError);
    await expect(planned({ pattern: 'redis' })).rejects.toThrow(
      'no process whose command line matches /redis/ runs in container demo-worker-1 (service worker); its processes are: sh, tail — ' +
        'name one of them (`process`) or match its command line (`pattern`)',
    );
  });

  it('inject runs the kill script with the signal without SIG, the match flag and the pattern as arguments', async () => {
    const { helpers, planned, ctx, engine } = setup();
    const record = await planned({ pattern: '^sleep 1000$', signal: 'SIGTERM' });
    helpers.length = 0;
    await processKill.inject(record, ctx);
    expect(helpers).toHaveLength(2);
    expect(helpers[0]!.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(helpers[0]!.command.slice(3)).toEqual(['firedrill-process-kill', 'TERM', '-f', '^sleep 1000$']);
    expect(helpers[0]).toMatchObject({ pidOf: record.targets[0]!.containerId, isolated: true });
    expect(engine.callsTo('kill')).toEqual([]);
  });

  it("PID 1 is killed through the engine (from outside its namespace), with the playbook's signal", async () => {
    const { planned, ctx, engine, ids } = setup({ '1': 'sleep', '9': 'sleep' });
    await processKill.inject(await planned({ process: 'sleep' }), ctx);
    expect(engine.callsTo('kill')).toEqual([
      [ids[0], 'SIGKILL'],
      [ids[1], 'SIGKILL'],
    ]);
  });

  it('nothing killed at inject time is a failure naming the containers', async () => {
    const { planned, ctx, engine } = setup();
    const record = await planned({ process: 'sleep' });
    engine.onHelper(() => ok('vanished 7 sleep\n'));
    await expect(processKill.inject(record, ctx)).rejects.toThrow(
      /failed on 2 of 2 containers — demo-worker-1: no process named sleep was running in demo-worker-1 \(there was at plan time\); nothing was killed/,
    );
  });

  it('a failing helper is a failure with its output', async () => {
    const { planned, ctx, engine } = setup();
    const record = await planned({ process: 'sleep' });
    engine.onHelper(() => ({ exitCode: 3, stdout: '', stderr: 'pgrep failed with exit code 2' }));
    await expect(processKill.inject(record, ctx)).rejects.toThrow(
      /the kill helper beside demo-worker-1 exited with code 3: pgrep failed with exit code 2/,
    );
  });

  it('revert cannot revive a process: it starts a container whose main process it signalled, and records a removed one', async () => {
    const { planned, ctx, engine, ids } = setup({ '1': 'sleep' });
    const record = await planned({ process: 'sleep' });
    await processKill.inject(record, ctx);
    expect(engine.container(ids[0]!).status).toBe('exited');
    engine.setState(ids[1]!, { removed: true });

    const result = await processKill.revert(record, ctx);

    expect(result).toEqual({
      verified: true,
      done: [
        'killed processes cannot be revived; checked that every container runs',
        'started demo-worker-1 (it was exited: this fault signalled its main process (PID 1))',
        'demo-worker-2 no longer exists (removed or replaced during the drill); nothing of the fault can remain on it',
      ],
      problems: [],
      manual: [],
    });
    expect(engine.container(ids[0]!).status).toBe('running');
  });

  it('revert leaves a container it did not stop or pause as found: a newer fault may still hold it', async () => {
    const { planned, ctx, engine, ids } = setup({ '7': 'sleep' });
    const record = await planned({ process: 'sleep' });
    await processKill.inject(record, ctx);
    await engine.stop(ids[0]!); // as a newer `service` stop fault would
    await engine.pause(ids[1]!); // as a newer `service` pause fault would

    const result = await processKill.revert(record, ctx);

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done.slice(1)).toEqual([
      `demo-worker-1 is exited, and this fault did not signal its main process (another fault may have stopped it, or its main process ended after a child was killed): left as it is (\`docker start ${ids[0]}\` starts it)`,
      `demo-worker-2 is paused, not by this fault (it signals processes and never pauses): left paused (\`docker unpause ${ids[1]}\` resumes it)`,
    ]);
    expect(engine.callsTo('start')).toEqual([]);
    expect(engine.callsTo('unpause')).toEqual([]);
    expect(engine.containersOf('worker').map((c) => c.status)).toEqual(['exited', 'paused']);
  });

  it('even a container whose main process it signalled is not unpaused', async () => {
    const { planned, ctx, engine, ids } = setup({ '1': 'sleep' }, [{ service: 'worker' }]);
    const record = await planned({ process: 'sleep', signal: 'SIGHUP' });
    await engine.pause(ids[0]!);
    const result = await processKill.revert(record, ctx);
    expect(result.done[1]).toMatch(/^demo-worker-1 is paused, not by this fault .*: left paused/);
    expect(engine.callsTo('unpause')).toEqual([]);
  });

  it('a record without a pinned helper image is a defect', async () => {
    const { record, ctx } = setup();
    const { helperImage: _, ...withoutImage } = record({ process: 'sleep' });
    await expect(processKill.preflight!(withoutImage, ctx)).rejects.toThrow(InternalError);
  });
});
