import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { packetLoss, type PacketLossSpec } from '../../../src/faults/packet-loss.js';
import { FakeEngine } from '../../support/fake-engine.js';
import { FakeNetns, inner, mesh } from './fake-netns.js';

const IMAGE = 'firedrill-base:bookworm';

/** mesh: app-a, store ×2, peer-c; inner: app-a, peer-c, lonely. */
function engineWithStore(): FakeEngine {
  return new FakeEngine([
    { service: 'app-a', networks: [mesh('172.20.0.2', 'app-a'), inner('172.21.0.2', 'app-a')] },
    { service: 'store', networks: [mesh('172.20.0.3', 'store')] },
    { service: 'store', networks: [mesh('172.20.0.4', 'store')] },
    { service: 'peer-c', networks: [mesh('172.20.0.6', 'peer-c'), inner('172.21.0.6', 'peer-c')] },
    { service: 'lonely', networks: [inner('172.21.0.9', 'lonely')] },
  ]);
}

function record(engine: FakeEngine, input: Record<string, unknown>): FaultRecord<PacketLossSpec> {
  const spec = packetLoss.schema.parse({ kind: 'packet-loss', ...input });
  return {
    ref: 'lossy',
    kind: 'packet-loss',
    revertible: true,
    spec,
    targets: packetLoss.targets(spec, engine.topology()),
    helperImage: IMAGE,
  };
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal });

describe('packet-loss', () => {
  it('takes a probability from 0.0001 to 1 and an optional list of source services', () => {
    const parse = (input: Record<string, unknown>) => packetLoss.schema.safeParse({ kind: 'packet-loss', service: 'store', ...input });
    expect(parse({ probability: 1 }).success).toBe(true);
    expect(parse({ probability: 0.25, from: ['app-a'] }).success).toBe(true);
    for (const probability of [0, -0.1, 1.5, 30, '30%']) {
      expect(parse({ probability }).error?.issues[0]?.message).toBe(
        'a probability from 0.0001 to 1: the share of packets dropped (0.3 drops 30%, 1 drops all)',
      );
    }
    expect(parse({ probability: 0.5, from: [] }).error?.issues[0]?.message).toBe('name at least one service, or leave `from` out');
  });

  it('without `from`: one rule per container, everything but loopback', () => {
    const planned = record(engineWithStore(), { service: 'store', probability: 0.3 });
    expect(packetLoss.describe(planned.spec)).toBe('drop 30% of the packets arriving at service store');
    expect(planned.targets.map((t) => [t.name, t.before?.['rules']])).toEqual([
      ['demo-store-1', [{ chain: 'INPUT', match: ['!', '-i', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', '0.3'] }]],
      ['demo-store-2', [{ chain: 'INPUT', match: ['!', '-i', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', '0.3'] }]],
    ]);
    expect(packetLoss.plan(planned)[0]!.apply).toBe(
      'drop 30% of incoming packets at random in the network namespace of container demo-store-1 (service store), from a helper with NET_ADMIN: ' +
        "iptables -I INPUT '!' -i lo -m statistic --mode random --probability 0.3 -m comment --comment firedrill:lossy -j DROP",
    );
  });

  it('with `from`: only packets from those services, by their addresses on the networks the target is on', () => {
    const planned = record(engineWithStore(), { service: 'app-a', probability: 1, from: ['store', 'lonely'] });
    expect(packetLoss.describe(planned.spec)).toBe('drop 100% of the packets arriving at service app-a from services [store, lonely]');
    expect(planned.targets[0]!.before?.['rules']).toEqual(
      ['172.20.0.3', '172.20.0.4', '172.21.0.9'].map((address) => ({
        chain: 'INPUT',
        match: ['-s', `${address}/32`, '!', '-i', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', '1'],
      })),
    );
  });

  it('sources that share no network with the target are a ScopeError', () => {
    const engine = engineWithStore();
    expect(() => record(engine, { service: 'store', probability: 0.5, from: ['lonely'] })).toThrow(ScopeError);
    expect(() => record(engine, { service: 'store', probability: 0.5, from: ['lonely'] })).toThrow(
      /no container of lonely has an address on a network demo-store-1 is on/,
    );
  });

  it('inject and revert: only the marked rule comes and goes; the rest of the table is as before', async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    netns.namespace('demo-store-1').rules.push('-A INPUT -s 10.9.9.9/32 -j ACCEPT', '-A OUTPUT -p udp -j ACCEPT');
    const before = netns.listing('demo-store-1');
    const planned = record(engine, { service: 'store', probability: 0.5 });

    await packetLoss.inject(planned, ctx(engine));

    expect(netns.namespace('demo-store-1').rules[0]).toBe(
      '-A INPUT ! -i lo -m statistic --mode random --probability 0.50000000000 -m comment --comment "firedrill:lossy" -j DROP',
    );
    expect(netns.namespace('demo-store-2').rules).toHaveLength(1);
    const result = await packetLoss.revert(planned, ctx(engine));
    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([
      'deleted 1 rule marked firedrill:lossy in demo-store-1; iptables -S there shows none now',
      'deleted 1 rule marked firedrill:lossy in demo-store-2; iptables -S there shows none now',
    ]);
    expect(netns.listing('demo-store-1')).toBe(before);
  });

  it("preflight refuses a container holding an earlier run's rule, even one marked with another fault id", async () => {
    const engine = engineWithStore();
    const netns = new FakeNetns(engine);
    const planned = record(engine, { service: 'store', probability: 0.5 });
    await expect(packetLoss.preflight!(planned, ctx(engine))).resolves.toEqual(planned);
    netns
      .namespace('demo-store-2')
      .rules.push(
        '-A INPUT ! -i lo -m statistic --mode random --probability 0.50000000000 -m comment --comment "firedrill:step-3" -j DROP',
      );

    const check = packetLoss.preflight!(planned, ctx(engine));

    await expect(check).rejects.toBeInstanceOf(ScopeError);
    await expect(check).rejects.toThrow(/^demo-store-2 \(store\) already holds 1 iptables rule marked by firedrill \(firedrill:step-3\): /);
    // Without the project in the context, the message still names the command.
    await expect(check).rejects.toThrow(/run `firedrill recover --project <compose project>`/);
    await expect(check).rejects.toThrow(
      /iptables-nft -D INPUT '!' -i lo -m statistic --mode random --probability 0\.50000000000 -m comment --comment firedrill:step-3 -j DROP$/,
    );
    expect(netns.namespace('demo-store-2').rules).toHaveLength(1);
  });

  it('manual commands quote what a shell would otherwise take apart', async () => {
    const engine = engineWithStore();
    new FakeNetns(engine);
    const planned = record(engine, { service: 'store', probability: 0.5 });
    // The first helper of each target's revert fails.
    engine.failNext('runHelper', new Error('engine went away'));
    engine.failNext('runHelper', new Error('engine went away'));
    const result = await packetLoss.revert(planned, ctx(engine));
    expect(result.verified).toBe(false);
    expect(result.problems).toContain('could not remove the iptables rules marked firedrill:lossy from demo-store-1: engine went away');
    expect(result.manual).toContain(
      `docker run --rm --network container:${engine.container('demo-store-1').id} --cap-add NET_ADMIN ${IMAGE} iptables -D INPUT '!' -i lo ` +
        '-m statistic --mode random --probability 0.5 -m comment --comment firedrill:lossy -j DROP  # "Bad rule" means it is gone already',
    );
  });
});
