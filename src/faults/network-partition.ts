import { z } from 'zod';
import { serviceName } from '../spec/common.js';
import { ScopeError } from '../errors.js';
import { serviceContainers, type Topology } from '../topology/topology.js';
import { applyToAll } from './mechanisms/container-modes.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault, FaultTarget } from './fault.js';
import { insertRules, planRules, refuseEarlierRules, revertMarkedRules, rulesOf, withRules, type DropRule } from './mechanisms/firewall.js';
import { pinOnProjectNetworks } from './mechanisms/netns-helper.js';

const side = z.array(serviceName).min(1, { message: 'each side names at least one service' });

export const networkPartitionSchema = z
  .strictObject({
    kind: z.literal('network-partition'),
    ...faultCommonFields,
    /** Two groups of services; no traffic passes between the groups, both ways. */
    between: z.array(side).length(2, { message: 'a partition has exactly two sides: between: [[service, …], [service, …]]' }),
  })
  .superRefine((spec, ctx) => {
    const [first = [], second = []] = spec.between;
    second.forEach((service, index) => {
      if (first.includes(service)) {
        ctx.addIssue({ code: 'custom', path: ['between', 1, index], message: `service "${service}" is on both sides of the partition` });
      }
    });
  });
export type NetworkPartitionSpec = z.output<typeof networkPartitionSchema>;

/**
 * Cuts a network in two: every container of one side drops every packet from and to every
 * container of the other side, on the project networks they share (INPUT by source, OUTPUT by
 * destination IPv4, in both sides' namespaces, so that each end alone already cuts both
 * directions). Traffic with anything else, DNS included, is untouched. Established
 * connections between the sides stall as they would in a real partition.
 */
export const networkPartition: Fault<NetworkPartitionSpec, typeof networkPartitionSchema> = {
  kind: 'network-partition',
  schema: networkPartitionSchema,
  revertible: true,
  usesHelper: true,

  describe: (spec) => `partition the network between ${sideWords(spec.between[0])} and ${sideWords(spec.between[1])}`,

  targets(spec, topology) {
    const [first, second] = spec.between.map((services) => pinSide(services, topology, spec));
    if (!first || !second) throw new ScopeError('a network partition needs two sides');
    const targets = [...withPeerRules(first, second), ...withPeerRules(second, first)].filter((target) => rulesOf(target).length > 0);
    if (targets.length === 0) {
      throw new ScopeError(
        `${sideWords(spec.between[0])} and ${sideWords(spec.between[1])} share no network (with IPv4 addresses) in compose project ` +
          `"${topology.project}": they cannot reach each other already, so there is nothing to partition`,
      );
    }
    return targets;
  },

  // Rules some other drill left would be taken for ours by a revert.
  preflight: (record, ctx) => refuseEarlierRules(record, ctx),

  plan: (record) => planRules(record, 'drop all traffic with the other side of the partition'),

  inject: (record, ctx) => applyToAll(record.targets, `network partition ${record.ref}`, (target) => insertRules(record, target, ctx)),

  revert: (record, ctx) => revertMarkedRules(record, ctx),
};

function pinSide(services: string[] | undefined, topology: Topology, spec: NetworkPartitionSpec): FaultTarget[] {
  const containers = [...new Set(services ?? [])].flatMap((service) => serviceContainers(topology, service));
  return pinOnProjectNetworks(
    containers,
    topology,
    `network-partition between ${sideWords(spec.between[0])} and ${sideWords(spec.between[1])}`,
  );
}

/** Each target of `side` drops traffic from and to the addresses `others` have on networks it is on too. */
function withPeerRules(side: FaultTarget[], others: FaultTarget[]): FaultTarget[] {
  return side.map((target) => {
    const mine = new Set((target.networks ?? []).map((network) => network.networkId));
    const peers = others.flatMap((other) =>
      (other.networks ?? []).filter((network) => mine.has(network.networkId) && network.ipv4).map((network) => network.ipv4!),
    );
    const addresses = [...new Set(peers)];
    const rules: DropRule[] = [
      ...addresses.map((address): DropRule => ({ chain: 'INPUT', match: ['-s', `${address}/32`] })),
      ...addresses.map((address): DropRule => ({ chain: 'OUTPUT', match: ['-d', `${address}/32`] })),
    ];
    return withRules(target, rules);
  });
}

function sideWords(services: string[] | undefined): string {
  const list = services ?? [];
  return list.length === 1 ? `service ${list[0]}` : `services [${list.join(', ')}]`;
}
