import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { regionLoss, type RegionLossSpec } from '../../../src/faults/region-loss.js';
import { FakeEngine, type FakeContainer } from '../../support/fake-engine.js';
import { answerNamespaceReading } from './fake-namespace-script.js';

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
    { project: 'shop', networks: [{ name: 'shop_edge', subnet: '10.1.0' }, { name: 'shop_ledger', subnet: '10.2.0', configuredSubnet: opts.configured }] },
  );
  // Plan-time readings (per target or by the namespace inspector) and a revert's `ip -o addr show` list its interfaces.
  const listing = (container: FakeContainer) => ({ exitCode: 0, stdout: engine.interfaceListing(container.id), stderr: '' });
  engine.onHelper((spec, target) => answerNamespaceReading(engine, spec, target, listing) ?? listing(target!));
  return engine;
}

async function planned(engine: FakeEngine): Promise<FaultRecord<RegionLossSpec>> {
  const spec = regionLoss.schema.parse({ kind: 'region-loss', region: 'east', mode: 'isolate' });
  const topology = engine.topology({ regionLabel: 'shop.zone' });
  const record = { ref: 'east', kind: 'region-loss', revertible: true, spec, targets: regionLoss.targets(spec, topology), helperImage: 'firedrill-base:bookworm' };
  return (await regionLoss.preflight!(record, ctx(engine))) ?? record;
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal });
const addresses = (engine: FakeEngine) => engine.containersOf('orders').map((c) => c.networks.map((n) => `${n.networkName} ${n.ipv4}`).sort());

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
    expect(regionLoss.plan(record)[0]!.revert).toContain('this engine cannot be asked for interface names, so shop-orders-1 will be on other ones (its next free eth<n>): reported as a difference');
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
        `${c.name} is on network shop_edge through interface eth2, not eth0 as before`,
        `${c.name} is on network shop_ledger through interface eth3, not eth1 as before`,
      ]),
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
    expect(result.differences).toContain('shop-orders-1 on network shop_ledger has the IPv4 address 10.2.0.5, not 10.2.0.2 as before: names resolved before the drill lead elsewhere');
  });
});
