import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { networkPartition } from '../../../src/faults/network-partition.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { helperRecord, inNetns, iptablesListing, reaches } from './netns-probes.js';

const projects = useFixtureProjects('netfaults', 1);

describe('network-partition against a real compose project', () => {
  const main = () => projects()[0]!;

  it('cuts [app-a, store-a] off app-b both ways, leaves peer-c reachable, and revert restores every table exactly', async () => {
    const { engine } = main();
    const [appA, storeA, appB, peerC] = await Promise.all(['app-a', 'store-a', 'app-b', 'peer-c'].map((s) => main().container(s)));
    // A rule of the target's own, which must survive inject and revert where it is.
    await inNetns(engine, appA!.id, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '9999', '-j', 'ACCEPT']);
    const before = { appA: await iptablesListing(engine, appA!.id), appB: await iptablesListing(engine, appB!.id) };
    expect(before.appA).toContain('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(true);

    const record = helperRecord(networkPartition, { kind: 'network-partition', between: [['app-a', 'store-a'], ['app-b']] }, await main().discover(), 'cut');
    expect(record.targets.map((t) => t.service)).toEqual(['app-a', 'app-b']);
    await networkPartition.inject(record, faultContext(engine));

    const during = await iptablesListing(engine, appA!.id);
    const ipB = appB!.networks[0]!.ipv4!;
    expect(during).toContain(`-A INPUT -s ${ipB}/32 -m comment --comment "firedrill:cut" -j DROP`);
    expect(during).toContain(`-A OUTPUT -d ${ipB}/32 -m comment --comment "firedrill:cut" -j DROP`);
    expect(during).toContain('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(false);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(false);
    expect(await reaches(engine, appA!.id, 'peer-c')).toBe(true);
    expect(await reaches(engine, appB!.id, 'peer-c')).toBe(true);
    expect(await reaches(engine, storeA!.id, 'app-a')).toBe(true);
    expect(await reaches(engine, peerC!.id, 'app-b')).toBe(true);

    const result = await networkPartition.revert(record, faultContext(engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([
      `deleted 2 rules marked firedrill:cut in ${appA!.name}; iptables -S there shows none now`,
      `deleted 2 rules marked firedrill:cut in ${appB!.name}; iptables -S there shows none now`,
    ]);
    expect(await iptablesListing(engine, appA!.id)).toBe(before.appA);
    expect(await iptablesListing(engine, appB!.id)).toBe(before.appB);
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(true);
    // Idempotent: a second revert finds nothing and says so.
    expect((await networkPartition.revert(record, faultContext(engine))).done[0]).toBe(
      `${appA!.name} held no rule marked firedrill:cut; iptables -S there shows none now`,
    );
  });

  it('a container restarted during the partition comes back without our rules; revert counts it as verified', async () => {
    const { engine } = main();
    const record = helperRecord(networkPartition, { kind: 'network-partition', between: [['peer-c'], ['app-b']] }, await main().discover(), 'cut-restart');
    await networkPartition.inject(record, faultContext(engine));
    const peerC = record.targets.find((t) => t.service === 'peer-c')!;
    expect(await iptablesListing(engine, peerC.containerId)).toContain('firedrill:cut-restart');
    await engine.restart(peerC.containerId, { timeoutSeconds: 1 });
    expect(await iptablesListing(engine, peerC.containerId)).not.toContain('firedrill:cut-restart');
    await engine.stop(record.targets.find((t) => t.service === 'app-b')!.containerId, { timeoutSeconds: 1 });
    try {
      const result = await networkPartition.revert(record, faultContext(engine));
      expect(result).toMatchObject({ verified: true, problems: [] });
      expect(result.done[1]).toMatch(/is exited: Docker released its network namespace when it stopped/);
    } finally {
      await engine.start(record.targets.find((t) => t.service === 'app-b')!.containerId);
    }
    expect(await iptablesListing(engine, record.targets[1]!.containerId)).not.toContain('firedrill:');
  });

  it('sides that share no network are refused at plan time', async () => {
    const topology = await main().discover();
    const plan = () => helperRecord(networkPartition, { kind: 'network-partition', between: [['store-a'], ['app-b']] }, topology, 'none');
    expect(plan).toThrow(ScopeError);
    expect(plan).toThrow(/service store-a and service app-b share no network/);
  });
});
