import { describe, expect, it } from 'vitest';
import { EnvironmentError, InternalError, ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { latency, type LatencySpec } from '../../../src/faults/latency.js';
import { qdiscHandle } from '../../../src/faults/mechanisms/traffic-control.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { FakeNetns, inner, mesh } from './fake-netns.js';

const IMAGE = 'firedrill-base:bookworm';
const HANDLE = qdiscHandle('slow');

/** store has two containers; app-a is on two networks (eth0 on mesh, eth1 on inner). */
function engineWithStore(): FakeEngine {
  return new FakeEngine([
    { service: 'app-a', networks: [mesh('172.20.0.2', 'app-a'), inner('172.21.0.2', 'app-a')] },
    { service: 'store', networks: [mesh('172.20.0.3', 'store')] },
    { service: 'store', networks: [mesh('172.20.0.4', 'store')] },
  ]);
}

function record(engine: FakeEngine, input: Record<string, unknown>): FaultRecord<LatencySpec> {
  const spec = latency.schema.parse({ kind: 'latency', ...input });
  return { ref: 'slow', kind: 'latency', revertible: true, spec, targets: latency.targets(spec, engine.topology()), helperImage: IMAGE };
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal });

async function preflighted(engine: FakeEngine, input: Record<string, unknown>): Promise<FaultRecord<LatencySpec>> {
  const planned = record(engine, input);
  const checked = await latency.preflight!(planned, ctx(engine));
  if (!checked) throw new Error('latency preflight returns the record with its interfaces');
  return checked;
}

describe('latency', () => {
  it('takes a delay and an optional jitter no larger than it', () => {
    const parse = (input: Record<string, unknown>) => latency.schema.safeParse({ kind: 'latency', service: 'store', ...input });
    expect(parse({ delay: '200ms', jitter: '20ms' }).data).toMatchObject({ delay: 200, jitter: 20 });
    expect(parse({ delay: '200ms', jitter: '1s' }).error?.issues[0]).toMatchObject({
      path: ['jitter'],
      message: 'jitter cannot be larger than delay',
    });
    expect(parse({ delay: '0ms' }).success).toBe(false);
    expect(parse({}).success).toBe(false);
  });

  it('the handle is ours: derived from the fault, neither the default 0: nor ingress ffff:', () => {
    expect(HANDLE).toMatch(/^[0-9a-f]{1,4}:$/);
    expect(HANDLE).toBe(qdiscHandle('slow'));
    expect(qdiscHandle('slow-2')).not.toBe(HANDLE);
    for (const ref of ['a', 'b', 'step-1', 'step-2', 'x'.repeat(60)]) expect(['0:', 'ffff:']).not.toContain(qdiscHandle(ref));
  });

  it('preflight without netem is an EnvironmentError before anything joins a target', async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    netns.netem = false;
    const planned = record(engine, { service: 'store', delay: '100ms' });

    const check = latency.preflight!(planned, ctx(engine));

    await expect(check).rejects.toBeInstanceOf(EnvironmentError);
    await expect(check).rejects.toThrow(
      'the kernel of engine unix:///var/run/docker.sock has no netem (sch_netem); latency faults need it — ' +
        "load it with modprobe sch_netem on the engine's host, or use packet-loss",
    );
    expect(netns.commands).toEqual([{ where: 'isolated', command: ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'] }]);
  });

  it('a helper image without tc is an EnvironmentError that says so', async () => {
    const engine = engineWithStore();
    engine.onHelper(() => ({ exitCode: 127, stdout: '', stderr: 'sh: 1: tc: not found' }));
    await expect(latency.preflight!(record(engine, { service: 'store', delay: '100ms' }), ctx(engine))).rejects.toThrow(
      /could not check for netem on engine .*: `tc qdisc add dev lo root netem delay 1ms` in a helper from firedrill-base:bookworm exited with code 127: sh: 1: tc: not found — the helper image needs tc/,
    );
  });

  it('preflight pins, per container, the interfaces of its project networks', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    const checked = await preflighted(engine, { service: 'app-a', delay: '250ms', jitter: '50ms' });
    expect(checked.targets[0]!.before).toEqual({
      handle: HANDLE,
      interfaces: [
        { device: 'eth0', network: 'demo_mesh' },
        { device: 'eth1', network: 'demo_inner' },
      ],
    });
    expect(latency.describe(checked.spec)).toBe('delay every packet sent by service app-a by 250ms ± 50ms');
    expect(latency.plan(checked)).toEqual([
      {
        apply:
          'delay every packet container demo-app-a-1 (service app-a) sends by 250ms ± 50ms, from a helper with NET_ADMIN, on ' +
          `eth0 (network demo_mesh): tc qdisc add dev eth0 root handle ${HANDLE} netem delay 250ms 50ms; ` +
          `eth1 (network demo_inner): tc qdisc add dev eth1 root handle ${HANDLE} netem delay 250ms 50ms`,
        revert: `delete the root qdisc with handle ${HANDLE} wherever demo-app-a-1 has one (tc refuses if the root is not ours), then check with tc qdisc show that none is left`,
      },
    ]);
  });

  it('an interface that has a root qdisc of its own is left alone: ScopeError at plan time', async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    netns.namespace('demo-store-2').roots.set('eth0', { kind: 'tbf', handle: '1:' });
    await expect(preflighted(engine, { service: 'store', delay: '100ms' })).rejects.toBeInstanceOf(ScopeError);
    await expect(preflighted(engine, { service: 'store', delay: '100ms' })).rejects.toThrow(
      /interface eth0 of demo-store-2 already has a root qdisc \(tbf 1:\)/,
    );
    expect(netns.commands.some(({ command }) => command.includes('add') && !command.includes('lo'))).toBe(false);
  });

  it("a root qdisc under this fault's handle is an earlier drill's: refused at plan time, with recover and the command to remove it", async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    netns.namespace('demo-app-a-1').roots.set('eth1', { kind: 'netem', handle: HANDLE });
    const check = preflighted(engine, { service: 'app-a', delay: '100ms' });
    await expect(check).rejects.toBeInstanceOf(ScopeError);
    await expect(check).rejects.toThrow(
      `demo-app-a-1 (app-a) already holds a root qdisc (netem) on eth1 with handle ${HANDLE}, the one firedrill gives fault "slow": ` +
        'a drill on this project is still running, or an earlier one was killed before it could revert it',
    );
    await expect(check).rejects.toThrow(
      `or remove it by hand: docker run --rm --network container:${engine.container('demo-app-a-1').id} --cap-add NET_ADMIN ${IMAGE} tc qdisc del dev eth1 root handle ${HANDLE}`,
    );
    expect(netns.namespace('demo-app-a-1').roots.get('eth1')).toEqual({ kind: 'netem', handle: HANDLE });
  });

  it('a recorded handle that is no tc handle is refused before any command is built from it', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    const planned = record(engine, { service: 'store', delay: '100ms' });
    const damaged = { ...planned, targets: planned.targets.map((t) => ({ ...t, before: { handle: '1:; touch /x', interfaces: [] } })) };
    await expect(latency.revert(damaged, ctx(engine))).rejects.toThrow(InternalError);
    await expect(latency.revert(damaged, ctx(engine))).rejects.toThrow(
      /has "1:; touch \/x" recorded as its qdisc handle, which is no tc handle/,
    );
    expect(engine.callsTo('runHelper')).toEqual([]);
  });

  it('without pinned interfaces, the manual command passes the handle to its script as an argument', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    const planned = record(engine, { service: 'app-a', delay: '100ms' });
    engine.failNext('runHelper', new Error('engine went away'));
    const result = await latency.revert(planned, ctx(engine));
    const script = 'for dev in $(ls /sys/class/net); do tc qdisc del dev "$dev" root handle "$0" 2>/dev/null; done; tc qdisc show';
    expect(result.manual).toEqual([
      `docker run --rm --network container:${engine.container('demo-app-a-1').id} --cap-add NET_ADMIN ${IMAGE} sh -c '${script}' ${HANDLE}`,
    ]);
  });

  it('inject adds netem on every pinned interface; revert deletes only our root qdisc and checks', async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    const checked = await preflighted(engine, { service: 'app-a', delay: '100ms' });

    await latency.inject(checked, ctx(engine));

    const ns = netns.namespace('demo-app-a-1');
    expect(Object.fromEntries(ns.roots)).toEqual({
      eth0: { kind: 'netem', handle: HANDLE },
      eth1: { kind: 'netem', handle: HANDLE },
      lo: { kind: 'noqueue', handle: '0:' },
    });
    expect(netns.commands.at(-1)!.command).toEqual([
      'tc',
      'qdisc',
      'add',
      'dev',
      'eth1',
      'root',
      'handle',
      HANDLE,
      'netem',
      'delay',
      '100ms',
    ]);
    // Someone else's qdisc turns up on eth1 meanwhile (ours was replaced by hand): it stays.
    ns.roots.set('eth1', { kind: 'tbf', handle: '1:' });

    const result = await latency.revert(checked, ctx(engine));

    expect(result).toEqual({
      verified: true,
      done: [`deleted the netem qdisc ${HANDLE} of eth0 in demo-app-a-1; tc qdisc show there shows none now`],
      problems: [],
      manual: [],
    });
    expect(Object.fromEntries(ns.roots)).toEqual({
      eth0: { kind: 'noqueue', handle: '0:' },
      eth1: { kind: 'tbf', handle: '1:' },
      lo: { kind: 'noqueue', handle: '0:' },
    });
    expect((await latency.revert(checked, ctx(engine))).done).toEqual([
      `demo-app-a-1 had no root qdisc with handle ${HANDLE}; tc qdisc show there shows none now`,
    ]);
  });

  it('revert after a partial inject, and for containers gone or stopped, is verified', async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    const checked = await preflighted(engine, { service: 'store', delay: '100ms' });
    netns.namespace('demo-store-2').roots.set('eth0', { kind: 'tbf', handle: '1:' });
    await expect(latency.inject(checked, ctx(engine))).rejects.toThrow(/failed on 1 of 2 containers — demo-store-2: .*Exclusivity flag on/);

    const result = await latency.revert(checked, ctx(engine));
    expect(result.verified).toBe(true);
    expect(netns.namespace('demo-store-2').roots.get('eth0')).toEqual({ kind: 'tbf', handle: '1:' });

    await latency.inject({ ...checked, targets: checked.targets.slice(0, 1) }, ctx(engine));
    engine.setState('demo-store-1', { status: 'exited' });
    engine.setState('demo-store-2', { removed: true });
    const after = await latency.revert(checked, ctx(engine));
    expect(after).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(after.done).toEqual([
      `demo-store-1 is exited: Docker released its network namespace when it stopped, and the netem qdisc ${HANDLE} with it (it starts with a fresh one)`,
      `demo-store-2 no longer exists: its network namespace, and the netem qdisc ${HANDLE} in it, went with it`,
    ]);
  });

  it('a revert that cannot reach a running container says so, with the commands to finish', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    const checked = await preflighted(engine, { service: 'app-a', delay: '100ms' });
    await latency.inject(checked, ctx(engine));
    engine.failNext('runHelper', new Error('engine went away'));

    const result = await latency.revert(checked, ctx(engine));

    const id = engine.container('demo-app-a-1').id;
    expect(result).toEqual({
      verified: false,
      done: [],
      problems: [`could not remove the netem qdisc ${HANDLE} from demo-app-a-1: engine went away`],
      manual: [
        `docker run --rm --network container:${id} --cap-add NET_ADMIN ${IMAGE} tc qdisc del dev eth0 root handle ${HANDLE}`,
        `docker run --rm --network container:${id} --cap-add NET_ADMIN ${IMAGE} tc qdisc del dev eth1 root handle ${HANDLE}`,
      ],
    });
  });

  it('inject without the interfaces preflight pins is a defect, not a guess', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    await expect(latency.inject(record(engine, { service: 'store', delay: '100ms' }), ctx(engine))).rejects.toThrow(
      /latency target demo-store-1 has no interfaces recorded; preflight pins them at plan time/,
    );
    expect(engine.callsTo('runHelper')).toEqual([]);
  });
});
