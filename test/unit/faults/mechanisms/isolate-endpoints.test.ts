import { describe, expect, it } from 'vitest';
import type { HelperSpec } from '../../../../src/engine/ports.js';
import type { FaultRecord, RevertResult } from '../../../../src/faults/fault.js';
import { differenceText, notExact } from '../../../../src/faults/mechanisms/revert-differences.js';
import { regionLoss, type RegionLossSpec } from '../../../../src/faults/region-loss.js';
import { FakeEngine, type FakeContainer } from '../../../support/fake-engine.js';
import { answerNamespaceReading } from '../fake-namespace-script.js';

/**
 * Region-loss isolate against the FakeEngine, whose networks hand out addresses as Engine 20.10
 * does (lowest free; requests only on configured subnets) and name interfaces eth<next>.
 */
function shop(opts: { configured: boolean }) {
  const engine = new FakeEngine(
    [
      { service: 'gate', networks: ['shop_edge'] },
      ...[1, 2, 3].map(() => ({ service: 'orders', labels: { 'shop.zone': 'east' }, networks: ['shop_edge', 'shop_ledger'] })),
    ],
    {
      project: 'shop',
      networks: [
        { name: 'shop_edge', subnet: '10.1.0' },
        { name: 'shop_ledger', subnet: '10.2.0', configuredSubnet: opts.configured },
      ],
    },
  );
  // Plan-time readings (per target or by the namespace inspector) and a revert's `ip -o addr show` list its interfaces.
  const listing = (container: FakeContainer) => ({ exitCode: 0, stdout: engine.interfaceListing(container.id), stderr: '' });
  engine.onHelper((spec, target) => answerNamespaceReading(engine, spec, target, listing) ?? listing(target!));
  return engine;
}

async function planned(engine: FakeEngine): Promise<FaultRecord<RegionLossSpec>> {
  const spec = regionLoss.schema.parse({ kind: 'region-loss', region: 'east', mode: 'isolate' });
  const topology = engine.topology({ regionLabel: 'shop.zone' });
  const record = {
    ref: 'east',
    kind: 'region-loss',
    revertible: true,
    spec,
    targets: regionLoss.targets(spec, topology),
    helperImage: 'firedrill-base:bookworm',
  };
  return (await regionLoss.preflight!(record, ctx(engine))) ?? record;
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal });
const addresses = (engine: FakeEngine) =>
  engine.containersOf('orders').map((c) => c.networks.map((n) => `${n.networkName} ${n.ipv4}`).sort());

describe('region-loss isolate (fake engine)', () => {
  it('plans the revert with each network as it was, in interface order, and says the engine cannot be asked for interface names', async () => {
    const engine = shop({ configured: false });
    const record = await planned(engine);
    const first = record.targets[0]!;
    expect(first.networks!.map((n) => [n.networkName, n.interfaceName, n.ipv4])).toEqual([
      ['shop_edge', 'eth0', '10.1.0.3'],
      ['shop_ledger', 'eth1', '10.2.0.2'],
    ]);
    expect(regionLoss.plan(record)[0]!.revert).toContain(
      'reconnect shop-orders-1 to shop_edge (eth0, 10.1.0.3, MAC 02:42:0a:01:00:03, aliases orders), then shop_ledger (eth1, 10.2.0.2, MAC 02:42:0a:02:00:02, aliases orders), in that order',
    );
    expect(regionLoss.plan(record)[0]!.revert).toContain(
      'this engine cannot be asked for interface names, so shop-orders-1 will be on other ones (its next free eth<n>): reported as a difference',
    );
  });

  it('gives every address back, and reports the interface names it could not, as differences of a revert that is still verified', async () => {
    const engine = shop({ configured: false });
    const record = await planned(engine);
    const before = addresses(engine);
    await regionLoss.inject(record, ctx(engine));
    const result = await regionLoss.revert(record, ctx(engine));
    expect(addresses(engine)).toEqual(before);
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.differences).toEqual(
      engine.containersOf('orders').flatMap((c) => [
        { container: c.name, network: 'shop_edge', aspect: 'interface', before: 'eth0', after: 'eth2' },
        { container: c.name, network: 'shop_ledger', aspect: 'interface', before: 'eth1', after: 'eth3' },
      ]),
    );
    // An interface name is seen only inside the container: reported, but the revert is exact for everyone else.
    expect(notExact(result.differences)).toEqual([]);
    expect(differenceText(result.differences![0]!)).toBe(
      'shop-orders-1 is on network shop_edge through interface eth2, not eth0 as before',
    );
  });

  it('an engine that takes interface names gets them asked for: nothing differs', async () => {
    const engine = shop({ configured: false });
    engine.support = { macAddress: true, interfaceName: true };
    const record = await planned(engine);
    await regionLoss.inject(record, ctx(engine));
    const result = await regionLoss.revert(record, ctx(engine));
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.differences).toBeUndefined();
  });

  it('an address taken meanwhile on a network that takes no requests: connected last, the others keep theirs, the difference is reported', async () => {
    const engine = shop({ configured: false });
    engine.support = { macAddress: true, interfaceName: true };
    const record = await planned(engine);
    await regionLoss.inject(record, ctx(engine));
    const gate = engine.containersOf('gate')[0]!;
    const ledger = record.targets[0]!.networks!.find((n) => n.networkName === 'shop_ledger')!;
    await engine.connect(ledger.networkId, gate.id, { aliases: [] }); // takes 10.2.0.2, orders-1's
    const result = await regionLoss.revert(record, ctx(engine));
    expect(result.verified).toBe(true);
    expect(addresses(engine)).toEqual([
      ['shop_edge 10.1.0.3', 'shop_ledger 10.2.0.5'],
      ['shop_edge 10.1.0.4', 'shop_ledger 10.2.0.3'],
      ['shop_edge 10.1.0.5', 'shop_ledger 10.2.0.4'],
    ]);
    const taken = { container: 'shop-orders-1', network: 'shop_ledger', aspect: 'ipv4', before: '10.2.0.2', after: '10.2.0.5' };
    // This engine was asked for the MAC address and the interface name, and gave them: only the address differs.
    expect(result.differences).toEqual([taken]);
    expect(notExact(result.differences)).toEqual(result.differences);
    expect(differenceText(taken as never)).toBe(
      'shop-orders-1 on network shop_ledger has the IPv4 address 10.2.0.5, not 10.2.0.2 as before: names resolved before the drill lead elsewhere',
    );
  });
});

describe('region-loss isolate: reading interface names back after the revert', () => {
  const helpersDuring = async (engine: FakeEngine, work: () => Promise<unknown>) => {
    const from = engine.callsTo('runHelper').length;
    await work();
    return engine
      .callsTo('runHelper')
      .slice(from)
      .map(([spec]) => (spec as HelperSpec).command[3]);
  };

  it('reads every target back from one namespace inspector, not a helper per target', async () => {
    const engine = shop({ configured: false });
    const record = await planned(engine);
    await regionLoss.inject(record, ctx(engine));
    let result: RevertResult | undefined;
    const helpers = await helpersDuring(engine, async () => (result = await regionLoss.revert(record, ctx(engine))));
    expect(helpers).toEqual(['firedrill-inspector']);
    expect(result!.differences?.filter((d) => d.aspect === 'interface')).toHaveLength(6);
  });

  it('has a deadline of its own: a revert whose budget the reconnects used up still reads the names back', async () => {
    const engine = shop({ configured: false });
    const record = await planned(engine);
    await regionLoss.inject(record, ctx(engine));
    const revertBudget = new AbortController();
    // The first helper of the revert is the read-back: by then the reconnects have spent the revert's budget.
    engine.before('runHelper', () => revertBudget.abort(new Error('the revert took its whole budget')));
    const result = await regionLoss.revert(record, { engine, signal: revertBudget.signal });
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(result.differences).toEqual(
      engine.containersOf('orders').flatMap((c) => [
        { container: c.name, network: 'shop_edge', aspect: 'interface', before: 'eth0', after: 'eth2' },
        { container: c.name, network: 'shop_ledger', aspect: 'interface', before: 'eth1', after: 'eth3' },
      ]),
    );
  });

  it('falls back to a helper per target when the engine will not run the inspector, and says which it could not read', async () => {
    const engine = shop({ configured: false });
    const record = await planned(engine);
    await regionLoss.inject(record, ctx(engine));
    const [first, second, third] = engine.containersOf('orders');
    engine.onHelper((spec, target) => {
      if (spec.command[3] === 'firedrill-inspector') return { exitCode: 1, stdout: '', stderr: 'operation not permitted\n' };
      if (target?.id === second!.id) return { exitCode: 1, stdout: '', stderr: 'ip: not found\n' };
      const listing = (container: FakeContainer) => ({ exitCode: 0, stdout: engine.interfaceListing(container.id), stderr: '' });
      return answerNamespaceReading(engine, spec, target, listing) ?? listing(target!);
    });
    const result = await regionLoss.revert(record, ctx(engine));
    expect(result).toMatchObject({ verified: true, problems: [] });
    const interfaces = (result.differences ?? []).filter((d) => d.aspect === 'interface');
    expect(interfaces.filter((d) => d.container !== second!.name).map((d) => [d.container, d.network, d.before, d.after])).toEqual([
      [first!.name, 'shop_edge', 'eth0', 'eth2'],
      [first!.name, 'shop_ledger', 'eth1', 'eth3'],
      [third!.name, 'shop_edge', 'eth0', 'eth2'],
      [third!.name, 'shop_ledger', 'eth1', 'eth3'],
    ]);
    const unread = interfaces.filter((d) => d.container === second!.name);
    expect(unread.map((d) => [d.network, d.before, d.after])).toEqual([
      ['shop_edge', 'eth0', null],
      ['shop_ledger', 'eth1', null],
    ]);
    for (const d of unread) expect(d.unobserved).toContain('ip: not found');
    expect(differenceText(unread[0]!)).toBe(
      `the interface of ${second!.name} on network shop_edge could not be read back (${unread[0]!.unobserved}); before, it was eth0`,
    );
  });
});
