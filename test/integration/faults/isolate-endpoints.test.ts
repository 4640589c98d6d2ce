import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { notExact, type RevertDifference } from '../../../src/faults/mechanisms/revert-differences.js';
import { regionLoss, type RegionLossSpec } from '../../../src/faults/region-loss.js';
import { DEFAULT_HELPER_IMAGE } from '../../../src/plan/plan.js';
import { faultContext, recordFor, useFixtureProjects, type FixtureProject } from '../compose-project.js';
import { dnsAnswers, engineEndpoints, interfacesInside, networkOrder } from './endpoint-probes.js';

// One project; each test leaves it as it found it (the spare container's networks included).
const projects = useFixtureProjects('isolate-endpoints');
const ZONES = { east: ['orders', 'pricing'] };

async function plannedIsolate(f: FixtureProject): Promise<FaultRecord<RegionLossSpec>> {
  const topology = await f.discover(ZONES);
  const record = {
    ...recordFor(regionLoss, { kind: 'region-loss', region: 'east', mode: 'isolate' }, topology),
    helperImage: DEFAULT_HELPER_IMAGE,
  };
  return (await regionLoss.preflight!(record, faultContext(f.engine))) ?? record;
}

/** Everything observable about the zone's containers, and what the auditor's DNS answers. */
async function observeZone(f: FixtureProject, record: FaultRecord) {
  const auditor = await f.container('auditor');
  const containers = await Promise.all(
    record.targets.map(async (target) => {
      const endpoints = await engineEndpoints(f.engine, target.containerId);
      const interfaces = await interfacesInside(f.engine, target.containerId);
      return { name: target.name, endpoints, order: networkOrder(endpoints, interfaces), interfaces };
    }),
  );
  const names = ['order-api', 'order-writer', 'price-book', 'orders', 'pricing', ...record.targets.map((t) => t.name)];
  const dns = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await dnsAnswers(f.engine, auditor.id, name)] as const)),
  );
  return { containers, dns };
}

const withoutInterfaceNames = (zone: Awaited<ReturnType<typeof observeZone>>) => ({
  dns: zone.dns,
  containers: zone.containers.map(({ interfaces: _, ...rest }) => rest),
});

/** Each interface that carries a network's address under another name than before must be reported by name. */
function expectRenamesReported(
  before: Awaited<ReturnType<typeof observeZone>>,
  after: Awaited<ReturnType<typeof observeZone>>,
  differences: RevertDifference[],
): number {
  let renamed = 0;
  for (const [i, was] of before.containers.entries()) {
    const now = after.containers[i]!;
    for (const endpoint of was.endpoints) {
      const device = (view: typeof was) =>
        view.interfaces.find((x) => x.address === view.endpoints.find((e) => e.network === endpoint.network)?.ipv4)?.device;
      if (device(was) === device(now)) continue;
      renamed += 1;
      expect(differences).toContainEqual({
        container: was.name,
        network: endpoint.network,
        aspect: 'interface',
        before: device(was),
        after: device(now),
      });
    }
  }
  return renamed;
}

describe('region-loss isolate gives the containers back as they were', () => {
  it('addresses, MAC addresses, aliases, interface order and DNS answers come back; interface names the engine cannot be asked for are reported', async () => {
    const f = projects()[0]!;
    const record = await plannedIsolate(f);
    expect(record.targets.map((t) => t.service).sort()).toEqual(['orders', 'orders', 'orders', 'pricing']);
    // Preflight recorded where each network is inside, and put the networks in that order.
    for (const target of record.targets) expect(target.networks!.every((n) => /^eth\d+$/.test(n.interfaceName ?? ''))).toBe(true);
    const before = await observeZone(f, record);
    expect(before.dns['order-api']).toHaveLength(3);

    await regionLoss.inject(record, faultContext(f.engine));
    let result;
    try {
      for (const target of record.targets) expect(await f.engine.attachedNetworks(target.containerId)).toEqual([]);
      const auditor = await f.container('auditor');
      expect(await dnsAnswers(f.engine, auditor.id, 'order-api')).toEqual([]);
    } finally {
      result = await regionLoss.revert(record, faultContext(f.engine));
    }
    const after = await observeZone(f, record);

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(withoutInterfaceNames(after)).toEqual(withoutInterfaceNames(before));
    const differences = result.differences ?? [];
    const renamed = expectRenamesReported(before, after, differences);
    // Nothing else differs: every difference is one of the renamed interfaces, which no other container can observe.
    expect(differences).toHaveLength(renamed);
    expect(notExact(differences)).toEqual([]);
    if (!(await f.engine.endpointSupport()).interfaceName) expect(renamed).toBeGreaterThan(0); // Engine < 28 names them eth<next>
  });

  it('a gap below the zone on a configured subnet: each container asks for its own address, and the new address configuration is reported', async () => {
    const f = projects()[0]!;
    const spare = await f.container('spare');
    const ledger = (await f.engine.attachedNetworks(spare.id)).find((n) => n.networkName.endsWith('_ledger'))!;
    await f.engine.disconnect(ledger.networkId, spare.id); // its address, below the zone's, is free now
    try {
      const record = await plannedIsolate(f);
      const before = await observeZone(f, record);
      await regionLoss.inject(record, faultContext(f.engine));
      const result = await regionLoss.revert(record, faultContext(f.engine));
      const after = await observeZone(f, record);

      expect(result).toMatchObject({ verified: true, problems: [] });
      const addresses = (zone: typeof before) => zone.containers.map((c) => c.endpoints.map(({ requested: _, ...e }) => e));
      expect(addresses(after)).toEqual(addresses(before));
      expect(after.dns).toEqual(before.dns);
      // The orders replicas had engine-chosen addresses on the ledger; now each is asked for, and that is said.
      const orders = record.targets.filter((t) => t.service === 'orders');
      for (const target of orders) {
        const own = before.containers.find((c) => c.name === target.name)!.endpoints.find((e) => e.network === ledger.networkName)!.ipv4!;
        expect(result.differences).toContainEqual({
          container: target.name,
          network: ledger.networkName,
          aspect: 'address-configured',
          before: null,
          after: own,
        });
      }
      // pricing's ledger address was configured before (ipv4_address), and still is.
      const pricing = after.containers.find((c) => c.name.includes('pricing'))!;
      expect(pricing.endpoints.find((e) => e.network === ledger.networkName)?.requested).toEqual({ ipv4: '10.231.77.20' });
    } finally {
      await f.engine.connect(ledger.networkId, spare.id, { aliases: ledger.aliases.filter((a) => a !== spare.id.slice(0, 12)) });
    }
  });

  it('an address taken meanwhile is not given back: the revert says so as a difference, and the others still get theirs', async () => {
    const f = projects()[0]!;
    const record = await plannedIsolate(f);
    const before = await observeZone(f, record);
    const spare = await f.container('spare');
    const auditorMesh = (await f.engine.attachedNetworks((await f.container('auditor')).id)).find((n) => n.networkName.endsWith('_mesh'))!;

    await regionLoss.inject(record, faultContext(f.engine));
    // While the zone is away, another container joins the mesh: the engine gives it the lowest free address, one of the zone's.
    await f.engine.connect(auditorMesh.networkId, spare.id, { aliases: [] });
    try {
      const taken = (await f.engine.attachedNetworks(spare.id)).find((n) => n.networkId === auditorMesh.networkId)!.ipv4!;
      const victim = before.containers.find((c) => c.endpoints.some((e) => e.network === auditorMesh.networkName && e.ipv4 === taken))!;
      expect(victim).toBeDefined();

      const result = await regionLoss.revert(record, faultContext(f.engine));
      const after = await observeZone(f, record);

      expect(result).toMatchObject({ verified: true, problems: [] });
      const now = after.containers.find((c) => c.name === victim.name)!.endpoints.find((e) => e.network === auditorMesh.networkName)!;
      expect(now.ipv4).not.toBe(taken);
      const lost = { container: victim.name, network: auditorMesh.networkName, aspect: 'ipv4', before: taken, after: now.ipv4 };
      expect(result.differences).toContainEqual(lost);
      // Other containers see it: the revert is not exact, and a drill that ends so fails (its verdict: test/unit/run/isolate-verdict.test.ts).
      expect(notExact(result.differences)).toContainEqual(lost);
      // Every other container of the zone has every address it had.
      const others = (zone: typeof before) =>
        zone.containers.filter((c) => c.name !== victim.name).map((c) => c.endpoints.map((e) => [e.network, e.ipv4]));
      expect(others(after)).toEqual(others(before));
    } finally {
      await f.engine.disconnect(auditorMesh.networkId, spare.id);
    }
  });
});
