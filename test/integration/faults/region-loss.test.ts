import { describe, expect, it } from 'vitest';
import { regionLoss } from '../../../src/faults/region-loss.js';
import { faultContext, observe, recordFor, resolveFrom, useFixtureProjects } from '../compose-project.js';

// Two projects from the same fixture: the second has the same service names and labels,
// and must never be touched by a drill against the first.
const projects = useFixtureProjects('two-region', 2);

describe('region-loss against a real compose project', () => {
  const setup = async () => {
    const main = projects()[0]!;
    const other = projects()[1]!;
    return { main, other, before: await observe(main), otherBefore: await observe(other), topology: await main.discover() };
  };

  for (const [mode, effect] of [
    ['kill', 'exited'],
    ['stop', 'exited'],
    ['pause', 'paused'],
  ] as const) {
    it(`${mode}: every container of region a is ${effect}, nothing else is touched, and revert restores it`, async () => {
      const { main, other, before, otherBefore, topology } = await setup();
      const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode }, topology);
      expect(record.targets.map((t) => t.service).sort()).toEqual(['cache-a', 'web-a']);

      await regionLoss.inject(record, faultContext(main.engine));

      const during = await observe(main);
      for (const container of during) {
        const expected = ['web-a', 'cache-a'].includes(container.service) ? effect : 'running';
        expect({ service: container.service, status: container.status }).toEqual({ service: container.service, status: expected });
      }
      expect(await observe(other)).toEqual(otherBefore);

      const result = await regionLoss.revert(record, faultContext(main.engine));
      expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
      expect(await observe(main)).toEqual(before);
      expect(await observe(other)).toEqual(otherBefore);
    });
  }

  it('isolate: region a leaves the networks and DNS; revert gives back networks, aliases and names', async () => {
    const { main, other, before, otherBefore, topology } = await setup();
    const client = await main.container('client');
    const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode: 'isolate' }, topology);
    const webA = record.targets.find((t) => t.service === 'web-a')!;
    expect(webA.networks?.map((n) => n.networkName).sort()).toEqual([`${main.project}_back`, `${main.project}_front`]);
    expect(await resolveFrom(main.engine, client.id, 'www-a')).toBeDefined();

    await regionLoss.inject(record, faultContext(main.engine));

    for (const target of record.targets) expect(await main.engine.attachedNetworks(target.containerId)).toEqual([]);
    for (const name of ['web-a', 'www-a', 'cache-a']) expect(await resolveFrom(main.engine, client.id, name)).toBeUndefined();
    expect(await resolveFrom(main.engine, client.id, 'web-b')).toBeDefined();
    expect(await observe(other)).toEqual(otherBefore);

    const result = await regionLoss.revert(record, faultContext(main.engine));
    expect(result).toMatchObject({ verified: true, problems: [] });
    expect(await observe(main)).toEqual(before);
    const webAddresses = (await main.engine.attachedNetworks(webA.containerId)).map((n) => n.ipv4);
    for (const name of ['web-a', 'www-a']) expect(webAddresses).toContain(await resolveFrom(main.engine, client.id, name));
    expect(await resolveFrom(main.engine, client.id, 'cache-a')).toBeDefined();
  });

  it('revert twice is harmless and still verified', async () => {
    const { main, before, topology } = await setup();
    const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode: 'isolate' }, topology);
    await regionLoss.inject(record, faultContext(main.engine));
    const first = await regionLoss.revert(record, faultContext(main.engine));
    const second = await regionLoss.revert(record, faultContext(main.engine));
    expect(first.verified && second.verified).toBe(true);
    expect(second.done.filter((line) => line.startsWith('reconnected') || line.startsWith('started'))).toEqual([]);
    expect(await observe(main)).toEqual(before);
  });

  it('reverts a partial state: one target stopped by hand before the pause', async () => {
    const { main, before, topology } = await setup();
    const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode: 'pause' }, topology);
    const cache = record.targets.find((t) => t.service === 'cache-a')!;
    await main.engine.stop(cache.containerId);

    await regionLoss.inject(record, faultContext(main.engine)); // pausing a stopped container is "already so"
    expect((await main.engine.inspectState(cache.containerId)).status).toBe('exited');

    const result = await regionLoss.revert(record, faultContext(main.engine));
    expect(result.verified).toBe(true);
    expect(result.done).toContain(`started ${cache.name} (it was exited)`);
    expect(await observe(main)).toEqual(before);
  });

  it('a target that fails to inject is named; revert restores the others and records the one that does not exist', async () => {
    const { main, before, topology } = await setup();
    const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode: 'pause' }, topology);
    const ghost = { containerId: 'f'.repeat(64), name: 'ghost-container', service: 'web-a' };
    record.targets.push(ghost);

    await expect(regionLoss.inject(record, faultContext(main.engine))).rejects.toThrow(
      /failed on 1 of 3 containers — ghost-container: pause container/,
    );
    const result = await regionLoss.revert(record, faultContext(main.engine));

    // Nothing of a fault can outlive its container: a missing one is a fact, not a failed revert.
    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toContain(
      'ghost-container no longer exists (removed or replaced during the drill); nothing of the fault can remain on it',
    );
    expect(await observe(main)).toEqual(before);
  });
});
