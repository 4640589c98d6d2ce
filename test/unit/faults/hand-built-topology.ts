import type { AttachedNetwork, ContainerInfo, ContainerStatus } from '../../../src/engine/ports.js';
import type { Topology } from '../../../src/topology/topology.js';

/**
 * A compose project "shop" written by hand: region a (web-a ×2, cache-a), region b (web-b),
 * and a client with no region. Ids are fake but shaped like Docker's (64 hex digits).
 */

export const NETWORKS = {
  front: { id: 'f'.repeat(64), name: 'shop_front', project: 'shop' },
  back: { id: 'b'.repeat(64), name: 'shop_back', project: 'shop' },
};

const BRIDGE: AttachedNetwork = { networkId: '0'.repeat(64), networkName: 'bridge', aliases: [] };

export function containerId(n: number): string {
  return `${n}`.padStart(4, '0').repeat(16);
}

export function container(
  n: number,
  service: string,
  networks: AttachedNetwork[],
  status: ContainerStatus = 'running',
  number = 1,
): ContainerInfo {
  return {
    id: containerId(n),
    name: `shop-${service}-${number}`,
    imageId: `sha256:${service}`,
    project: 'shop',
    service,
    number,
    status,
    health: 'none',
    labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service },
    networks,
  };
}

export function on(network: keyof typeof NETWORKS, n: number, ...aliases: string[]): AttachedNetwork {
  const { id, name } = NETWORKS[network];
  // As Docker 20.10 reports them: the service aliases, then the container's short id.
  return { networkId: id, networkName: name, aliases: [...aliases, containerId(n).slice(0, 12)] };
}

export function shopTopology(overrides: { cacheStatus?: ContainerStatus } = {}): Topology {
  return {
    project: 'shop',
    endpoint: 'unix:///var/run/docker.sock',
    networks: [NETWORKS.back, NETWORKS.front],
    regions: { a: ['cache-a', 'web-a'], b: ['web-b'], empty: [] },
    services: [
      { name: 'cache-a', region: 'a', containers: [container(1, 'cache-a', [on('back', 1, 'cache-a')], overrides.cacheStatus)] },
      { name: 'client', containers: [container(2, 'client', [on('front', 2, 'client'), on('back', 2, 'client')])] },
      {
        name: 'web-a',
        region: 'a',
        containers: [
          container(3, 'web-a', [on('back', 3, 'web-a', 'www-a'), on('front', 3, 'web-a'), BRIDGE], 'running', 1),
          container(4, 'web-a', [on('back', 4, 'web-a', 'www-a'), on('front', 4, 'web-a')], 'running', 2),
        ],
      },
      { name: 'web-b', region: 'b', containers: [container(5, 'web-b', [on('front', 5, 'web-b')])] },
    ],
  };
}
