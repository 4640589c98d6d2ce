import { z } from 'zod';
import { ScopeError } from '../errors.js';
import { serviceName } from '../spec/common.js';
import { serviceContainers, type Topology } from '../topology/topology.js';
import { applyToAll } from './mechanisms/container-modes.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault, FaultTarget } from './fault.js';
import { insertRules, planRules, refuseEarlierRules, revertMarkedRules, withRules, type DropRule } from './mechanisms/firewall.js';
import { pinOnProjectNetworks } from './mechanisms/netns-helper.js';

const PROBABILITY_MESSAGE = 'a probability from 0.0001 to 1: the share of packets dropped (0.3 drops 30%, 1 drops all)';

export const packetLossSchema = z.strictObject({
  kind: z.literal('packet-loss'),
  ...faultCommonFields,
  /** The service whose containers lose incoming packets. */
  service: serviceName,
  /** Share of packets dropped, each packet drawn at random. */
  probability: z
    .number({ message: PROBABILITY_MESSAGE })
    .min(0.0001, { message: PROBABILITY_MESSAGE })
    .max(1, { message: PROBABILITY_MESSAGE }),
  /** Only packets from these services' containers; by default, packets from anywhere but loopback. */
  from: z.array(serviceName).min(1, { message: 'name at least one service, or leave `from` out' }).optional(),
});
export type PacketLossSpec = z.output<typeof packetLossSchema>;

/**
 * Drops a share of the packets arriving at every container of a service (iptables INPUT,
 * `-m statistic --mode random`), never those on loopback. Replies and retransmissions go
 * through the same lottery, so TCP slows down and times out rather than failing outright.
 */
export const packetLoss: Fault<PacketLossSpec, typeof packetLossSchema> = {
  kind: 'packet-loss',
  schema: packetLossSchema,
  revertible: true,
  usesHelper: true,

  describe: (spec) =>
    `drop ${percent(spec.probability)} of the packets arriving at service ${spec.service}` +
    (spec.from ? ` from ${spec.from.length === 1 ? `service ${spec.from[0]}` : `services [${spec.from.join(', ')}]`}` : ''),

  targets(spec, topology) {
    const targets = pinOnProjectNetworks(serviceContainers(topology, spec.service), topology, `packet-loss of service "${spec.service}"`);
    return targets.map((target) => withRules(target, lossRules(spec, target, topology)));
  },

  // Rules some other drill left would be taken for ours by a revert.
  preflight: (record, ctx) => refuseEarlierRules(record, ctx),

  plan: (record) => planRules(record, `drop ${percent(record.spec.probability)} of incoming packets at random`),

  inject: (record, ctx) =>
    applyToAll(record.targets, `packet loss ${record.ref} on service ${record.spec.service}`, (target) => insertRules(record, target, ctx)),

  revert: (record, ctx) => revertMarkedRules(record, ctx),
};

function lossRules(spec: PacketLossSpec, target: FaultTarget, topology: Topology): DropRule[] {
  const lottery = ['!', '-i', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', String(spec.probability)];
  if (!spec.from) return [{ chain: 'INPUT', match: lottery }];
  return sourceAddresses(spec.from, target, topology).map((address) => ({ chain: 'INPUT', match: ['-s', `${address}/32`, ...lottery] }));
}

/** IPv4 addresses the `from` services' containers have on the networks the target is on. */
function sourceAddresses(from: string[], target: FaultTarget, topology: Topology): string[] {
  const mine = new Set((target.networks ?? []).map((network) => network.networkId));
  const sources = [...new Set(from)].flatMap((service) => serviceContainers(topology, service));
  const addresses = sources.flatMap((container) =>
    container.networks.filter((network) => mine.has(network.networkId) && network.ipv4).map((network) => network.ipv4!),
  );
  if (addresses.length === 0) {
    throw new ScopeError(
      `packet-loss of service "${target.service}": no container of ${from.join(', ')} has an address on a network ${target.name} is on, ` +
        'so none of their packets reach it — check `from` (and that those containers run)',
    );
  }
  return [...new Set(addresses)];
}

function percent(probability: number): string {
  return `${Number((probability * 100).toPrecision(6))}%`;
}
