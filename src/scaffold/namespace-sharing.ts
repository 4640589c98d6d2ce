import type { ScaffoldService } from './compose-services.js';

/**
 * Services that run in another service's namespaces (`network_mode: service:x`,
 * `pid: service:x`, `ipc: service:x`): the namespace is x's, so when x is killed or restarted
 * they are left on a dead one until they are restarted too. Such a parent is never crashed or
 * restarted by a starter, and a region holding one is paused rather than killed.
 */

export type SharedNamespace = 'network' | 'process' | 'IPC';

/** The compose key that shares each namespace. */
const KEYS: Record<SharedNamespace, 'networkMode' | 'pid' | 'ipc'> = { network: 'networkMode', process: 'pid', IPC: 'ipc' };
const WRITTEN: Record<SharedNamespace, string> = { network: 'network_mode', process: 'pid', IPC: 'ipc' };

export interface NamespaceDependant {
  service: string;
  /** The parent's namespaces it runs in. */
  shares: SharedNamespace[];
}

export function namespaceDependants(parent: string, services: readonly ScaffoldService[]): NamespaceDependant[] {
  return services.flatMap((other) => {
    const shares = (Object.keys(KEYS) as SharedNamespace[]).filter((namespace) => other[KEYS[namespace]] === `service:${parent}`);
    return shares.length > 0 && other.name !== parent ? [{ service: other.name, shares }] : [];
  });
}

/**
 * "downloader runs in its network namespace (network_mode: service:vpn)"; `whose` is "its"
 * or "vpn's". Dependants that share the same namespaces are named together.
 */
export function sharingWords(parent: string, dependants: readonly NamespaceDependant[], whose: string): string {
  const groups = new Map<string, string[]>();
  for (const { service, shares } of dependants) groups.set(shares.join(' '), [...(groups.get(shares.join(' ')) ?? []), service]);
  return [...groups]
    .map(([key, names]) => {
      const shares = key.split(' ') as SharedNamespace[];
      const where = shares.map((namespace) => `${WRITTEN[namespace]}: service:${parent}`).join(', ');
      return `${names.join(', ')} ${names.length === 1 ? 'runs' : 'run'} in ${whose} ${shares.join(' and ')} namespace${shares.length === 1 ? '' : 's'} (${where})`;
    })
    .join('; ');
}

/** "it" or "them", for the dependants as a whole. */
export function pronoun(dependants: readonly NamespaceDependant[]): string {
  return dependants.length === 1 ? 'it' : 'them';
}
