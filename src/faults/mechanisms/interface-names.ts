import type { AttachedNetwork } from '../../engine/ports.js';
import type { FaultTarget } from '../fault.js';
import { listingText, type NamespaceReading } from './netns-listings.js';

/**
 * The names of a container's interfaces (eth0, eth1 …), which the engine does not report: read
 * from inside its network namespace (`ip -o addr show`, the "addresses" listing), and matched
 * to its networks by address. Software inside may depend on them ("listen on eth1").
 */

/** One interface's addresses, as `ip -o addr show` lists them. */
export interface InterfaceAddress {
  device: string;
  address: string;
}

/** Parses `ip -o addr show` (IPv4 and IPv6) into interface and address, prefix length left out. */
export function parseInterfaceAddresses(output: string): InterfaceAddress[] {
  return output.split('\n').flatMap((line) => {
    const match = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet6?\s+([0-9a-fA-F.:]+)\//.exec(line.trim());
    return match ? [{ device: match[1]!, address: match[2]!.toLowerCase() }] : [];
  });
}

/** The interface carrying the network's recorded address, if any does. */
export function interfaceOf(network: AttachedNetwork, interfaces: InterfaceAddress[]): string | undefined {
  const addresses = [network.ipv4, network.ipv6?.toLowerCase()].filter((a): a is string => a !== undefined);
  return interfaces.find((i) => addresses.includes(i.address))?.device;
}

/** The target's interfaces, from a reading of its network namespace (the "addresses" listing): at plan time, and a revert's check. */
export function interfacesOf(reading: NamespaceReading): InterfaceAddress[] {
  return parseInterfaceAddresses(listingText(reading, 'addresses'));
}

/**
 * The target's networks with the interface each is on, in interface order (eth0 first, eth10
 * after eth9): the order a revert reconnects them in.
 */
export function withInterfaceNames(networks: AttachedNetwork[], interfaces: InterfaceAddress[]): AttachedNetwork[] {
  const named = networks.map((network) => {
    const device = interfaceOf(network, interfaces);
    return device ? { ...network, interfaceName: device } : { ...network };
  });
  return named.sort((a, b) => compareInterfaces(a.interfaceName, b.interfaceName));
}

/** eth2 before eth10; a network without a known interface after those with one. */
function compareInterfaces(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Whether the engine was found able to take interface names at plan time (undefined: not known). */
export function interfaceNamesAsked(target: FaultTarget): boolean | undefined {
  const asked = target.before?.['interfaceNamesAsked'];
  return typeof asked === 'boolean' ? asked : undefined;
}
