import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { networkPartition, type NetworkPartitionSpec } from '../../../src/faults/network-partition.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { FakeNetns, inner, mesh } from './fake-netns.js';

const IMAGE = 'firedrill-base:bookworm';

/** mesh: app-a, app-b ×2, peer-c; inner: app-a, store-a, peer-c. */
function meshEngine(): FakeEngine {
  return new FakeEngine([
    { service: 'app-a', networks: [mesh('172.20.0.2', 'app-a'), inner('172.21.0.2', 'app-a')] },
    { service: 'store-a', networks: [inner('172.21.0.3', 'store-a')] },
    { service: 'app-b', networks: [mesh('172.20.0.4', 'app-b')] },
    { service: 'app-b', networks: [mesh('172.20.0.5', 'app-b')] },
    { service: 'peer-c', networks: [mesh('172.20.0.6', 'peer-c'), inner('172.21.0.6', 'peer-c')] },
  ]);
}

function record(engine: FakeEngine, between: string[][]): FaultRecord<NetworkPartitionSpec> {
  const spec = networkPartition.schema.parse({ kind: 'network-partition', between });
  return {
    ref: 'cut',
    kind: 'network-partition',
    revertible: true,
    spec,
    targets: networkPartition.targets(spec, engine.topology()),
    helperImage: IMAGE,
  };
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal });

describe('network-partition', () => {
  it('takes exactly two sides that do not overlap', () => {
    const parse = (between: unknown) => networkPartition.schema.safeParse({ kind: 'network-partition', between });
    expect(parse([['a'], ['b']]).success).toBe(true);
    expect(parse([['a']]).error?.issues[0]?.message).toMatch(/exactly two sides/);
    expect(parse([['a'], ['b'], ['c']]).error?.issues[0]?.message).toMatch(/exactly two sides/);
    expect(parse([['a'], []]).error?.issues[0]).toMatchObject({ path: ['between', 1], message: 'each side names at least one service' });
    expect(
      parse([
        ['a', 'b'],
        ['c', 'b'],
      ]).error?.issues[0],
    ).toMatchObject({ path: ['between', 1, 1], message: 'service "b" is on both sides of the partition' });
  });

  it('pins both sides, each dropping the peers it shares a network with, both ways', () => {
    const planned = record(meshEngine(), [['app-a', 'store-a'], ['app-b']]);
    // store-a shares no network with app-b: nothing to do there.
    expect(planned.targets.map((t) => [t.name, t.before?.['rules']])).toEqual([
      [
        'demo-app-a-1',
        [
          { chain: 'INPUT', match: ['-s', '172.20.0.4/32'] },
          { chain: 'INPUT', match: ['-s', '172.20.0.5/32'] },
          { chain: 'OUTPUT', match: ['-d', '172.20.0.4/32'] },
          { chain: 'OUTPUT', match: ['-d', '172.20.0.5/32'] },
        ],
      ],
      [
        'demo-app-b-1',
        [
          { chain: 'INPUT', match: ['-s', '172.20.0.2/32'] },
          { chain: 'OUTPUT', match: ['-d', '172.20.0.2/32'] },
        ],
      ],
      [
        'demo-app-b-2',
        [
          { chain: 'INPUT', match: ['-s', '172.20.0.2/32'] },
          { chain: 'OUTPUT', match: ['-d', '172.20.0.2/32'] },
        ],
      ],
    ]);
    expect(networkPartition.describe(planned.spec)).toBe('partition the network between services [app-a, store-a] and service app-b');
  });

  it('sides that share no network, or have no running container, are a ScopeError', () => {
    const engine = meshEngine();
    expect(() => record(engine, [['store-a'], ['app-b']])).toThrow(ScopeError);
    expect(() => record(engine, [['store-a'], ['app-b']])).toThrow(
      /service store-a and service app-b share no network .* nothing to partition/,
    );
    engine.setState('demo-app-b-2', { status: 'exited' });
    expect(() => record(engine, [['app-a'], ['app-b']])).toThrow(/running containers only.*demo-app-b-2 \(app-b\) is exited/);
    expect(() => record(engine, [['app-a'], ['nope']])).toThrow(/service "nope" is not part of compose project "demo"/);
  });

  it('plans the exact rules per container and how they are undone', () => {
    const [first] = networkPartition.plan(record(meshEngine(), [['app-a'], ['app-b']]));
    expect(first).toEqual({
      apply:
        'drop all traffic with the other side of the partition in the network namespace of container demo-app-a-1 (service app-a), from a helper with NET_ADMIN: ' +
        'iptables -I INPUT -s 172.20.0.4/32 -m comment --comment firedrill:cut -j DROP; iptables -I INPUT -s 172.20.0.5/32 -m comment --comment firedrill:cut -j DROP; ' +
        'iptables -I OUTPUT -d 172.20.0.4/32 -m comment --comment firedrill:cut -j DROP; iptables -I OUTPUT -d 172.20.0.5/32 -m comment --comment firedrill:cut -j DROP',
      revert:
        'delete every rule of demo-app-a-1 whose comment is firedrill:cut (found with iptables -S), then list again to check that none is left; its other rules stay',
    });
  });

  it('inject adds the marked rules on top, one transaction per container; revert removes exactly them', async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    netns.namespace('demo-app-a-1').rules.push('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    const before = netns.listing('demo-app-a-1');
    const planned = record(engine, [['app-a'], ['app-b']]);

    await networkPartition.inject(planned, ctx(engine));

    expect(netns.namespace('demo-app-a-1').rules).toEqual([
      '-A OUTPUT -d 172.20.0.5/32 -m comment --comment "firedrill:cut" -j DROP',
      '-A OUTPUT -d 172.20.0.4/32 -m comment --comment "firedrill:cut" -j DROP',
      '-A INPUT -s 172.20.0.5/32 -m comment --comment "firedrill:cut" -j DROP',
      '-A INPUT -s 172.20.0.4/32 -m comment --comment "firedrill:cut" -j DROP',
      '-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT',
    ]);
    expect(netns.namespace('demo-app-b-2').rules).toHaveLength(2);
    expect(engine.callsTo('runHelper').map(([spec]) => spec)).toContainEqual(
      expect.objectContaining({
        image: IMAGE,
        networkOf: planned.targets[0]!.containerId,
        capAdd: ['NET_ADMIN'],
        labels: { 'firedrill.fault': 'cut' },
      }),
    );

    const result = await networkPartition.revert(planned, ctx(engine));

    expect(result).toEqual({
      verified: true,
      done: [
        'deleted 4 rules marked firedrill:cut in demo-app-a-1; iptables -S there shows none now',
        'deleted 2 rules marked firedrill:cut in demo-app-b-1; iptables -S there shows none now',
        'deleted 2 rules marked firedrill:cut in demo-app-b-2; iptables -S there shows none now',
      ],
      problems: [],
      manual: [],
    });
    expect(netns.listing('demo-app-a-1')).toBe(before);
    const again = await networkPartition.revert(planned, ctx(engine));
    expect(again.verified).toBe(true);
    expect(again.done[0]).toBe('demo-app-a-1 held no rule marked firedrill:cut; iptables -S there shows none now');
  });

  it("never deletes another fault's rules, even one whose mark starts the same", async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    const other = '-A INPUT -s 172.20.0.4/32 -m comment --comment "firedrill:cut-2" -j DROP';
    netns.namespace('demo-app-a-1').rules.push(other);
    const planned = record(engine, [['app-a'], ['app-b']]);
    await networkPartition.inject(planned, ctx(engine));
    expect((await networkPartition.revert(planned, ctx(engine))).verified).toBe(true);
    expect(netns.namespace('demo-app-a-1').rules).toEqual([other]);
  });

  it('a partial inject throws naming the container; revert still cleans every target', async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    const planned = record(engine, [['app-a'], ['app-b']]);
    engine.before('runHelper', (args) => {
      if ((args[0] as { networkOf?: string }).networkOf === engine.container('demo-app-b-1').id) throw new Error('engine hiccup');
    });
    await expect(networkPartition.inject(planned, ctx(engine))).rejects.toThrow(
      /failed on 1 of 3 containers — demo-app-b-1: engine hiccup/,
    );
    expect(netns.namespace('demo-app-b-2').rules).toHaveLength(2);

    const result = await networkPartition.revert(planned, ctx(engine));
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual(['could not remove the iptables rules marked firedrill:cut from demo-app-b-1: engine hiccup']);
    const id = engine.container('demo-app-b-1').id;
    expect(result.manual).toEqual([
      `docker run --rm --network container:${id} --cap-add NET_ADMIN ${IMAGE} iptables -D INPUT -s 172.20.0.2/32 -m comment --comment firedrill:cut -j DROP  # "Bad rule" means it is gone already`,
      `docker run --rm --network container:${id} --cap-add NET_ADMIN ${IMAGE} iptables -D OUTPUT -d 172.20.0.2/32 -m comment --comment firedrill:cut -j DROP  # "Bad rule" means it is gone already`,
    ]);
    expect(result.done).toEqual([
      'deleted 4 rules marked firedrill:cut in demo-app-a-1; iptables -S there shows none now',
      'deleted 2 rules marked firedrill:cut in demo-app-b-2; iptables -S there shows none now',
    ]);
    expect(netns.namespace('demo-app-b-2').rules).toEqual([]);
  });

  it('a container removed or stopped since injection took its rules with it: verified, and said so', async () => {
    const engine = meshEngine();
    new FakeNetns(engine);
    const planned = record(engine, [['app-a'], ['app-b']]);
    await networkPartition.inject(planned, ctx(engine));
    engine.setState('demo-app-b-1', { removed: true });
    engine.setState('demo-app-b-2', { status: 'exited' });

    const result = await networkPartition.revert(planned, ctx(engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([
      'deleted 4 rules marked firedrill:cut in demo-app-a-1; iptables -S there shows none now',
      'demo-app-b-1 no longer exists: its network namespace, and the iptables rules marked firedrill:cut in it, went with it',
      'demo-app-b-2 is exited: Docker released its network namespace when it stopped, and the iptables rules marked firedrill:cut with it (it starts with a fresh one)',
    ]);
  });

  it('rules still listed after the delete are a problem, with the exact commands to finish', async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    const planned = record(engine, [['app-a'], ['app-b']]);
    await networkPartition.inject(planned, ctx(engine));
    // Something puts the rule back as soon as it is deleted.
    const stubborn = '-A INPUT -s 172.20.0.2/32 -m comment --comment "firedrill:cut" -j DROP';
    engine.before('runHelper', () => {
      const ns = netns.namespace('demo-app-b-1');
      if (!ns.rules.includes(stubborn)) ns.rules.push(stubborn);
    });

    const result = await networkPartition.revert(planned, ctx(engine));

    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([`demo-app-b-1 still holds 1 rule marked firedrill:cut: ${stubborn}`]);
    expect(result.manual).toEqual([
      `docker run --rm --network container:${engine.container('demo-app-b-1').id} --cap-add NET_ADMIN ${IMAGE} iptables-nft -D INPUT -s 172.20.0.2/32 -m comment --comment firedrill:cut -j DROP`,
    ]);
  });

  it('a marked rule that iptables-legacy holds is found, deleted with its own backend, and checked; its unmarked rules stay', async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    const planned = record(engine, [['app-a'], ['app-b']]);
    await networkPartition.inject(planned, ctx(engine));
    // As if the rule had been added by an image whose iptables is legacy.
    const ns = netns.namespace('demo-app-b-1');
    const own = '-A INPUT -p udp -j ACCEPT';
    ns.legacy = ['-A OUTPUT -d 172.20.0.2/32 -m comment --comment "firedrill:cut" -j DROP', own];

    const result = await networkPartition.revert(planned, ctx(engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toContain('deleted 3 rules marked firedrill:cut in demo-app-b-1; iptables -S there shows none now');
    expect(ns.legacy).toEqual([own]);
    expect(ns.rules).toEqual([]);
    const restores = netns.commands.filter(
      ({ where, command }) => where === 'demo-app-b-1' && command[0] === 'sh' && command[2]?.includes('-restore'),
    );
    expect(restores.map(({ command }) => [/iptables\S*-restore/.exec(command[2]!)?.[0], ...command.slice(4)])).toEqual([
      [
        'iptables-restore',
        '*filter',
        '-I INPUT 1 -s 172.20.0.2/32 -m comment --comment firedrill:cut -j DROP',
        '-I OUTPUT 1 -d 172.20.0.2/32 -m comment --comment firedrill:cut -j DROP',
        'COMMIT',
      ],
      [
        'iptables-nft-restore',
        '*filter',
        '-D OUTPUT -d 172.20.0.2/32 -m comment --comment "firedrill:cut" -j DROP',
        '-D INPUT -s 172.20.0.2/32 -m comment --comment "firedrill:cut" -j DROP',
        'COMMIT',
      ],
      ['iptables-legacy-restore', '*filter', '-D OUTPUT -d 172.20.0.2/32 -m comment --comment "firedrill:cut" -j DROP', 'COMMIT'],
    ]);
  });

  it('preflight refuses a container that already holds rules some firedrill drill marked, in either backend, touching nothing', async () => {
    const engine = meshEngine();
    const netns = new FakeNetns(engine);
    const planned = record(engine, [['app-a'], ['app-b']]);
    netns.namespace('demo-app-a-1').rules.push('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    await expect(networkPartition.preflight!(planned, { ...ctx(engine), project: 'demo' })).resolves.toEqual(planned);

    const leftover = '-A INPUT -s 172.20.0.9/32 -m comment --comment "firedrill:step-1" -j DROP';
    netns.namespace('demo-app-b-2').legacy = [leftover];
    const check = networkPartition.preflight!(planned, { ...ctx(engine), project: 'demo' });

    await expect(check).rejects.toBeInstanceOf(ScopeError);
    const id = engine.container('demo-app-b-2').id;
    await expect(check).rejects.toThrow(
      'demo-app-b-2 (app-b) already holds 1 iptables rule marked by firedrill (firedrill:step-1): a drill on this project is still running, ' +
        'or an earlier one was killed before it could revert it, and a revert of this drill could delete it as its own — nothing was touched. ' +
        'If no drill runs, run `firedrill recover --project demo` (add --runs-dir if that run used another runs directory), or remove it by hand: ' +
        `docker run --rm --network container:${id} --cap-add NET_ADMIN ${IMAGE} iptables-legacy -D INPUT -s 172.20.0.9/32 -m comment --comment firedrill:step-1 -j DROP`,
    );
    // Every helper only read namespaces.
    expect(netns.commands.filter(({ command }) => command[3] !== 'firedrill-inspector' && command[3] !== 'firedrill-netns')).toEqual([]);
    expect(netns.namespace('demo-app-b-2').legacy).toEqual([leftover]);
  });

  it('a record without a helper image is a defect', async () => {
    const engine = meshEngine();
    new FakeNetns(engine);
    const { helperImage: _, ...planned } = record(engine, [['app-a'], ['app-b']]);
    await expect(networkPartition.inject(planned, ctx(engine))).rejects.toThrow(
      /fault "cut" \(network-partition\) has no helper image pinned/,
    );
    expect(engine.callsTo('runHelper')).toEqual([]);
  });
});
