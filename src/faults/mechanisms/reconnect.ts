import { isAddressRefused } from '../../engine/address-refused.js';
import { isContainerGone } from '../../engine/container-gone.js';
import type { AttachedNetwork, EndpointRequest } from '../../engine/ports.js';
import { messageOf } from '../../errors.js';
import { restorableAliases } from './container-modes.js';
import type { FaultContext, FaultTarget } from '../fault.js';

/**
 * Puts isolated containers back on their networks as they were: the same aliases, the same
 * addresses, in the order their interfaces had. Done for all targets of a fault together,
 * because they compete for the same addresses:
 *
 * - Networks in each target's recorded order (its interface order, eth0 first), round by
 *   round: every target's first network, then every target's second …
 * - On one network, one connect at a time, lowest recorded address first. The engine gives a
 *   plain connect the lowest free address, so when the region's own addresses are the lowest
 *   free ones, each container gets its own back without the engine being asked — and without
 *   its endpoint being changed into one with a configured address.
 * - Where a plain connect got another address (a gap lower down, an address taken meanwhile),
 *   the container is connected again asking for its own. An engine that refuses (the address is
 *   taken; a network whose subnet the engine chose, on engines that take no requests there)
 *   leaves that endpoint for last, so that it cannot take an address another target is owed.
 * - An endpoint whose configuration asked for its address (compose's ipv4_address) asks again.
 *
 * What could not be given back is not decided here: the check after it compares every
 * endpoint with its record and reports each difference.
 */

export interface ReconnectNotes {
  done: string[];
  failed: string[];
}

interface Job {
  target: FaultTarget;
  network: AttachedNetwork;
  position: number;
}

export async function reconnectTargets(targets: FaultTarget[], ctx: FaultContext): Promise<Map<string, ReconnectNotes>> {
  const notes = new Map(targets.map((target) => [target.containerId, { done: [], failed: [] } as ReconnectNotes]));
  const jobs = (await Promise.all(targets.map((target) => jobsFor(target, ctx, notes.get(target.containerId)!)))).flat();
  const deferred: Job[] = [];
  const rounds = [...new Set(jobs.map((job) => job.position))].sort((a, b) => a - b);
  for (const position of rounds) {
    await perNetwork(
      jobs.filter((job) => job.position === position),
      async (job) => {
        const left = await connectOwn(job, ctx, notes.get(job.target.containerId)!);
        if (left) deferred.push(job);
      },
    );
  }
  await perNetwork(deferred, (job) => connectAnyAddress(job, ctx, notes.get(job.target.containerId)!));
  return notes;
}

/** The endpoints of a target that are not back as recorded; one on the network without them is disconnected first. */
async function jobsFor(target: FaultTarget, ctx: FaultContext, notes: ReconnectNotes): Promise<Job[]> {
  const recorded = target.networks ?? [];
  if (recorded.length === 0) return [];
  let attached: AttachedNetwork[];
  try {
    attached = await ctx.engine.attachedNetworks(target.containerId, { signal: ctx.signal });
  } catch (error) {
    if (!isContainerGone(error)) notes.failed.push(messageOf(error));
    return [];
  }
  const jobs: Job[] = [];
  for (const [position, network] of recorded.entries()) {
    const current = findNetwork(attached, network);
    if (
      current &&
      missingAliases(current, restorableAliases(network, target.containerId)).length === 0 &&
      sameAddresses(current, network)
    ) {
      notes.done.push(`${target.name} was on network ${network.networkName} as before`);
      continue;
    }
    try {
      // On the network, but not as recorded (reconnected by hand, or an earlier revert got another address): again, properly.
      if (current) await ctx.engine.disconnect(network.networkId, target.containerId, { signal: ctx.signal });
      jobs.push({ target, network, position });
    } catch (error) {
      notes.failed.push(messageOf(error));
    }
  }
  return jobs;
}

/** Runs the jobs of each network one after another, lowest recorded address first; networks side by side. */
async function perNetwork(jobs: Job[], run: (job: Job) => Promise<void>): Promise<void> {
  const byNetwork = new Map<string, Job[]>();
  for (const job of jobs) byNetwork.set(job.network.networkId, [...(byNetwork.get(job.network.networkId) ?? []), job]);
  await Promise.all(
    [...byNetwork.values()].map(async (queue) => {
      for (const job of queue.sort((a, b) => addressOrder(a.network.ipv4) - addressOrder(b.network.ipv4))) await run(job);
    }),
  );
}

/**
 * Connects the endpoint and makes sure it has its own address. Resolves true when the engine
 * would not give it its own address: the endpoint is left disconnected, for last.
 */
async function connectOwn(job: Job, ctx: FaultContext, notes: ReconnectNotes): Promise<boolean> {
  const { target, network } = job;
  const base = baseRequest(job);
  const call = { signal: ctx.signal };
  try {
    if (network.requested) {
      await ctx.engine.connect(network.networkId, target.containerId, { ...base, ...network.requested }, call);
      notes.done.push(
        `reconnected ${target.name} to network ${network.networkName} ${endpointWords(base, network)}, asking for its configured address as it did before`,
      );
      return false;
    }
    await ctx.engine.connect(network.networkId, target.containerId, base, call);
    const got = findNetwork(await ctx.engine.attachedNetworks(target.containerId, call), network);
    if (got && sameAddresses(got, network)) {
      notes.done.push(`reconnected ${target.name} to network ${network.networkName} ${endpointWords(base, network)}`);
      return false;
    }
    await ctx.engine.disconnect(network.networkId, target.containerId, call);
    await ctx.engine.connect(network.networkId, target.containerId, { ...base, ...addressesOf(network) }, call);
    notes.done.push(
      `reconnected ${target.name} to network ${network.networkName} ${endpointWords(base, network)}, asking the engine for that address ` +
        `(it gave ${got?.ipv4 ?? 'another one'} unasked)`,
    );
    return false;
  } catch (error) {
    if (isAddressRefused(error)) {
      notes.done.push(
        `the engine would not give ${target.name} its address ${addressWords(network)} on network ${network.networkName} (${refusalWords(error.reason)}); connected it last`,
      );
      return true;
    }
    if (!isContainerGone(error)) notes.failed.push(messageOf(error));
    return false;
  }
}

/** The last resort: whatever address the engine gives. The check afterwards reports it. */
async function connectAnyAddress(job: Job, ctx: FaultContext, notes: ReconnectNotes): Promise<void> {
  const { target, network } = job;
  try {
    await ctx.engine.connect(network.networkId, target.containerId, baseRequest(job), { signal: ctx.signal });
    notes.done.push(
      `reconnected ${target.name} to network ${network.networkName} with aliases [${baseRequest(job).aliases.join(', ')}] and the address the engine chose`,
    );
  } catch (error) {
    if (!isContainerGone(error)) notes.failed.push(messageOf(error));
  }
}

function baseRequest({ target, network }: Job): EndpointRequest {
  return {
    aliases: restorableAliases(network, target.containerId),
    ...(network.macAddress ? { macAddress: network.macAddress } : {}),
    ...(network.interfaceName ? { interfaceName: network.interfaceName } : {}),
  };
}

function addressesOf(network: AttachedNetwork): { ipv4?: string; ipv6?: string } {
  return { ...(network.ipv4 ? { ipv4: network.ipv4 } : {}), ...(network.ipv6 ? { ipv6: network.ipv6 } : {}) };
}

export function findNetwork(attached: AttachedNetwork[], wanted: AttachedNetwork): AttachedNetwork | undefined {
  return attached.find((n) => n.networkId === wanted.networkId) ?? attached.find((n) => n.networkName === wanted.networkName);
}

export function missingAliases(network: AttachedNetwork, wanted: string[]): string[] {
  return wanted.filter((alias) => !network.aliases.includes(alias));
}

/** The recorded addresses are the current ones (an address not recorded is not compared). */
export function sameAddresses(current: AttachedNetwork, recorded: AttachedNetwork): boolean {
  return (recorded.ipv4 === undefined || current.ipv4 === recorded.ipv4) && (recorded.ipv6 === undefined || current.ipv6 === recorded.ipv6);
}

/** IPv4 addresses in numeric order; endpoints without one last. */
function addressOrder(ipv4: string | undefined): number {
  const parts = ipv4?.split('.').map(Number);
  if (parts?.length !== 4 || parts.some((p) => !Number.isInteger(p))) return Number.MAX_SAFE_INTEGER;
  return parts.reduce((sum, part) => sum * 256 + part, 0);
}

function endpointWords(base: EndpointRequest, network: AttachedNetwork): string {
  const addresses = addressWords(network);
  return `with aliases [${base.aliases.join(', ')}]${addresses ? ` and its address ${addresses}` : ''}`;
}

function addressWords(network: AttachedNetwork): string {
  return [network.ipv4, network.ipv6].filter(Boolean).join(' and ');
}

function refusalWords(reason: 'in-use' | 'no-subnet' | 'outside-subnet'): string {
  switch (reason) {
    case 'in-use':
      return 'another container holds it now';
    case 'no-subnet':
      return 'the engine chose the subnet of this network, and this engine cannot be asked for an address there';
    case 'outside-subnet':
      return "it is outside the network's subnet now";
  }
}
