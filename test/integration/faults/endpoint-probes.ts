import type { Engine } from '../../../src/engine/ports.js';
import { parseInterfaceAddresses } from '../../../src/faults/mechanisms/interface-names.js';

/**
 * What a container's place on its networks looks like from everywhere a user could look:
 * the engine (addresses, MAC, aliases, configured addresses per network), inside the container
 * (which interface carries which address), and other containers' DNS.
 */

export interface EndpointView {
  network: string;
  ipv4?: string;
  ipv6?: string;
  macAddress?: string;
  aliases: string[];
  requested?: { ipv4?: string; ipv6?: string };
}

/** The engine's view of every network of a container, by network name. */
export async function engineEndpoints(engine: Engine, containerId: string): Promise<EndpointView[]> {
  return (await engine.attachedNetworks(containerId)).map((n) => ({
    network: n.networkName,
    ...(n.ipv4 ? { ipv4: n.ipv4 } : {}),
    ...(n.ipv6 ? { ipv6: n.ipv6 } : {}),
    ...(n.macAddress ? { macAddress: n.macAddress } : {}),
    aliases: [...n.aliases].sort(),
    ...(n.requested ? { requested: n.requested } : {}),
  }));
}

/** Interface name → addresses, as `ip -o addr show` lists them inside the container (lo left out). */
export async function interfacesInside(engine: Engine, containerId: string): Promise<{ device: string; address: string }[]> {
  const result = await engine.exec(containerId, ['ip', '-o', 'addr', 'show'], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`ip addr show failed: ${result.stderr}`);
  return parseInterfaceAddresses(result.stdout).filter((i) => i.device !== 'lo' && !i.address.startsWith('fe80'));
}

/** The networks of a container in the order of its interfaces (eth0's first), by address. */
export function networkOrder(endpoints: EndpointView[], interfaces: { device: string; address: string }[]): string[] {
  return [...interfaces]
    .sort((a, b) => a.device.localeCompare(b.device, 'en', { numeric: true }))
    .flatMap((i) => endpoints.filter((e) => e.ipv4 === i.address).map((e) => e.network));
}

/** Every IPv4 answer for a name from inside a container, sorted (Docker's DNS rotates them). */
export async function dnsAnswers(engine: Engine, fromId: string, name: string): Promise<string[]> {
  // On an internal network a name Docker's DNS does not know is forwarded outside, where nothing answers.
  const result = await engine.exec(fromId, ['timeout', '4', 'getent', 'ahostsv4', name], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) return [];
  return [
    ...new Set(
      result.stdout
        .split('\n')
        .map((line) => line.split(/\s+/)[0]!)
        .filter(Boolean),
    ),
  ].sort();
}
