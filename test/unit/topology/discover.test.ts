import { describe, expect, it } from 'vitest';
import type { ContainerInfo, EngineIdentity, NetworkInfo, ProjectDiscovery } from '../../../src/engine/ports.js';
import { EnvironmentError } from '../../../src/errors.js';
import { discoverTopology } from '../../../src/topology/discover.js';

function container(id: string, service: string, number: number, labels: Record<string, string> = {}): ContainerInfo {
  return {
    id,
    name: `p-${service}-${number}`,
    imageId: 'sha256:0',
    project: 'p',
    service,
    number,
    status: 'running',
    health: 'none',
    labels,
    networks: [],
  };
}

function engineWith(containers: ContainerInfo[], networks: NetworkInfo[] = []): ProjectDiscovery & EngineIdentity {
  return {
    endpoint: 'unix:///var/run/docker.sock',
    ping: () => Promise.resolve({ version: '20.10', apiVersion: '1.41' }),
    listProjectContainers: () => Promise.resolve(containers),
    listProjectNetworks: () => Promise.resolve(networks),
  };
}

describe('discoverTopology (stubbed engine)', () => {
  const region = (name: string) => ({ 'firedrill.region': name });

  it('sorts services, containers (by compose number) and networks, whatever order the engine gives', async () => {
    const topology = await discoverTopology(
      engineWith(
        [container('c3', 'web', 10, region('b')), container('c1', 'web', 2, region('b')), container('c2', 'api', 1, region('a'))],
        [
          { id: 'n2', name: 'p_front', project: 'p' },
          { id: 'n1', name: 'p_back', project: 'p' },
        ],
      ),
      { project: 'p', regionLabel: 'firedrill.region' },
    );
    expect(topology.services.map((s) => [s.name, s.region, s.containers.map((c) => c.number)])).toEqual([
      ['api', 'a', [1]],
      ['web', 'b', [2, 10]],
    ]);
    expect(topology.networks.map((n) => n.name)).toEqual(['p_back', 'p_front']);
    expect(topology.regions).toEqual({ a: ['api'], b: ['web'] });
  });

  it('the mapping moves labelled services and keeps services that have no container', async () => {
    const topology = await discoverTopology(engineWith([container('c1', 'web', 1, region('a')), container('c2', 'db', 1)]), {
      project: 'p',
      regionLabel: 'firedrill.region',
      regions: { east: ['web', 'db'], west: ['ghost'] },
    });
    expect(topology.regions).toEqual({ east: ['db', 'web'], west: ['ghost'] });
    expect(topology.services.map((s) => s.region)).toEqual(['east', 'east']);
  });

  it('no containers at all is an EnvironmentError saying how to bring the project up', async () => {
    const lookup = discoverTopology(engineWith([]), { project: 'shop', regionLabel: 'firedrill.region' });
    await expect(lookup).rejects.toBeInstanceOf(EnvironmentError);
    await expect(lookup).rejects.toThrow(
      /compose project "shop" has no containers on unix:\/\/\/var\/run\/docker.sock — bring it up first/,
    );
  });
});
