import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { detectCompose } from '../../src/topology/compose-cli.js';
import { discoverTopology } from '../../src/topology/discover.js';
import { REGION_LABEL, useFixtureProjects } from './compose-project.js';

const projects = useFixtureProjects('two-region', 1);

describe('discoverTopology against a real compose project', () => {
  const main = () => projects()[0]!;

  it('groups containers by compose service label, with regions from the region label', async () => {
    const topology = await main().discover();
    expect(topology.project).toBe(main().project);
    expect(topology.endpoint).toBe(main().engine.endpoint);
    expect(topology.services.map((s) => [s.name, s.region, s.containers.length])).toEqual([
      ['cache-a', 'a', 1],
      ['client', undefined, 1],
      ['web-a', 'a', 1],
      ['web-b', 'b', 1],
    ]);
    expect(topology.regions).toEqual({ a: ['cache-a', 'web-a'], b: ['web-b'] });
    expect(topology.networks.map((n) => n.name)).toEqual([`${main().project}_back`, `${main().project}_front`]);
  });

  it('fills each container with its compose labels, health, networks and aliases', async () => {
    const topology = await main().discover();
    const webA = topology.services.find((s) => s.name === 'web-a')!.containers[0]!;
    expect(webA).toMatchObject({ project: main().project, service: 'web-a', number: 1, status: 'running', health: 'none' });
    expect(webA.networks.map((n) => [n.networkName, n.aliases.filter((a) => a !== webA.id.slice(0, 12)).sort()])).toEqual([
      [`${main().project}_back`, ['web-a', 'www-a']],
      [`${main().project}_front`, ['web-a']],
    ]);
    const networkIds = topology.networks.map((n) => n.id);
    for (const network of webA.networks) {
      expect(networkIds).toContain(network.networkId);
      expect(network.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    const cache = topology.services.find((s) => s.name === 'cache-a')!.containers[0]!;
    expect(cache.health).toBe('healthy');
  });

  it("the playbook's mapping overrides the label for the services it names", async () => {
    const topology = await main().discover({ b: ['web-a'], edge: ['client'] });
    expect(topology.regions).toEqual({ a: ['cache-a'], b: ['web-a', 'web-b'], edge: ['client'] });
    expect(topology.services.find((s) => s.name === 'web-a')!.region).toBe('b');
  });

  it('includes stopped containers, with their networks', async () => {
    const client = await main().container('client');
    await main().engine.stop(client.id);
    try {
      const stopped = (await main().discover()).services.find((s) => s.name === 'client')!.containers[0]!;
      expect(stopped.status).toBe('exited');
      expect(stopped.networks.map((n) => n.networkId).sort()).toEqual(client.networks.map((n) => n.networkId).sort());
    } finally {
      await main().engine.start(client.id);
    }
  });

  it("a project without containers is an EnvironmentError telling how to bring it up, with this machine's compose command", async () => {
    const compose = (await detectCompose()).argv.join(' ');
    const lookup = discoverTopology(main().engine, { project: 'fdtest-nothing-here', regionLabel: REGION_LABEL });
    await expect(lookup).rejects.toBeInstanceOf(EnvironmentError);
    await expect(lookup).rejects.toThrow(
      `compose project "fdtest-nothing-here" has no containers on ${main().engine.endpoint} — ` +
        `bring it up first (${compose} -p fdtest-nothing-here -f <file> up -d)`,
    );
  });
});
