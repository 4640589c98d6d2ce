import { setTimeout as sleep } from 'node:timers/promises';
import type { AttachedNetwork, ContainerState } from '../../engine/ports.js';
import { isContainerGone } from '../../engine/container-gone.js';
import { restorableAliases } from './container-modes.js';
import { messageOf } from '../../errors.js';
import type { FaultContext, FaultRecord, FaultTarget, RevertResult } from '../fault.js';
import { interfaceDifferences, type ObservedTarget } from './interface-readback.js';
import { findNetwork, missingAliases, reconnectTargets } from './reconnect.js';
import { mergeOutcomes } from './revert-outcomes.js';
import type { RevertDifference } from './revert-differences.js';

/**
 * The revert of region-loss and service faults. Every target was running when it was pinned,
 * so reverting means: bring it back to running (unpause it if paused, start it if not running),
 * put it back on the networks recorded for it with their aliases and addresses (reconnect.ts),
 * then OBSERVE that it is so. Not running, or off a network or its aliases there, is a problem:
 * the fault is not undone. Back with another address, MAC address, address configuration or
 * interface name is a difference: the fault is undone, but the container is not as it was, and
 * the revert says so.
 *
 * Working from the observed state rather than from the fault's mode makes the revert
 * idempotent and correct after a partial injection, a second revert, or someone's manual fix.
 * Every target is handled even when another fails.
 */

/** How long a container may stay "restarting" (a restart policy at work) before it counts as down. */
const SETTLE_MS = 5_000;
const SETTLE_POLL_MS = 250;

/**
 * `record` is given by faults that disconnect (region-loss isolate): its helper image reads the
 * interface names back for the check, for every target at once (interface-readback.ts).
 */
export async function restoreTargets(targets: FaultTarget[], ctx: FaultContext, record?: FaultRecord): Promise<RevertResult> {
  const running = await Promise.all(targets.map((target) => bringBack(target, ctx)));
  // All targets at once: they compete for the same addresses on the same networks.
  const present = targets.filter((_, i) => !running[i]!.gone);
  const reconnected = await reconnectTargets(
    present.filter((target) => target.networks),
    ctx,
  );
  const checks = await Promise.all(targets.map((target, i) => (running[i]!.gone ? undefined : verify(target, ctx))));
  const observed = checks.flatMap((check, i): ObservedTarget[] =>
    check?.attached ? [{ target: targets[i]!, attached: check.attached }] : [],
  );
  const renamed = record ? await interfaceDifferences(record, observed, ctx) : new Map<string, RevertDifference[]>();
  const outcomes = targets.map((target, i): RevertResult => {
    const { gone, done, failed } = running[i]!;
    const check = checks[i];
    if (gone || !check) return { verified: true, done: [goneNote(target)], problems: [], manual: [] };
    const notes = reconnected.get(target.containerId);
    const allDone = [...done, ...(notes?.done ?? [])];
    const found = [...check.differences, ...(renamed.get(target.containerId) ?? [])];
    const differences = found.length > 0 ? { differences: found } : {};
    // An action that failed but whose effect is observed anyway (someone else fixed it) is no problem.
    if (check.problems.length === 0) return { verified: true, done: allDone, problems: [], manual: [], ...differences };
    return {
      verified: false,
      done: allDone,
      problems: [...failed, ...(notes?.failed ?? []), ...check.problems],
      manual: check.manual,
      ...differences,
    };
  });
  return mergeOutcomes(outcomes);
}

async function bringBack(target: FaultTarget, ctx: FaultContext): Promise<{ gone: boolean; done: string[]; failed: string[] }> {
  const done: string[] = [];
  try {
    await bringBackRunning(target, ctx, done);
    return { gone: false, done, failed: [] };
  } catch (error) {
    if (isContainerGone(error)) return { gone: true, done, failed: [] };
    return { gone: false, done, failed: [messageOf(error)] };
  }
}

async function bringBackRunning(target: FaultTarget, ctx: FaultContext, done: string[]): Promise<void> {
  const call = { signal: ctx.signal };
  const state = await settledState(target, ctx);
  if (state.status === 'paused') {
    await ctx.engine.unpause(target.containerId, call);
    done.push(`unpaused ${target.name}`);
  } else if (state.status !== 'running') {
    await ctx.engine.start(target.containerId, call);
    done.push(`started ${target.name} (it was ${state.status})`);
  } else {
    done.push(`${target.name} was running`);
  }
}

interface Check {
  problems: string[];
  manual: string[];
  differences: RevertDifference[];
  /** The networks it is on now, when it is running and they were recorded: for the interface read-back. */
  attached?: AttachedNetwork[];
}

async function verify(target: FaultTarget, ctx: FaultContext): Promise<Check> {
  const check: Check = { problems: [], manual: [], differences: [] };
  try {
    const state = await settledState(target, ctx);
    if (state.status === 'paused') {
      check.problems.push(`${target.name} is still paused`);
      check.manual.push(`docker unpause ${target.containerId}`);
    } else if (state.status !== 'running') {
      check.problems.push(`${target.name} is ${state.status}, not running`);
      check.manual.push(`docker start ${target.containerId}`);
    }
    if (target.networks) {
      const attached = await ctx.engine.attachedNetworks(target.containerId, { signal: ctx.signal });
      checkEndpoints(target, target.networks, attached, check);
      if (state.status === 'running') check.attached = attached;
    }
  } catch (error) {
    check.problems.push(`could not observe ${target.name}: ${messageOf(error)}`);
    check.manual.push(...manualRestore(target));
  }
  return check;
}

/**
 * Not on a network, or there without its aliases: the fault is not undone (a problem). On it
 * with its aliases but another address, MAC address or address configuration: the fault is
 * undone, but the container is not as it was (a difference).
 */
function checkEndpoints(target: FaultTarget, recorded: AttachedNetwork[], attached: AttachedNetwork[], check: Check): void {
  for (const network of recorded) {
    const current = findNetwork(attached, network);
    const connect = connectCommand(target, network);
    if (!current) {
      check.problems.push(`${target.name} is not on network ${network.networkName}`);
      check.manual.push(connect);
      continue;
    }
    const missing = missingAliases(current, restorableAliases(network, target.containerId));
    if (missing.length > 0) {
      check.problems.push(`${target.name} is on network ${network.networkName} without its aliases ${missing.join(', ')}`);
      check.manual.push(`docker network disconnect ${network.networkName} ${target.containerId} && ${connect}`);
    }
    check.differences.push(...endpointDifferences(target, network, current));
  }
}

/** How an endpoint differs from its record, one fact per aspect (revert-differences.ts words them). */
export function endpointDifferences(target: FaultTarget, recorded: AttachedNetwork, current: AttachedNetwork): RevertDifference[] {
  const on = { container: target.name, network: recorded.networkName };
  const differences: RevertDifference[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const was = recorded[family];
    if (was !== undefined && current[family] !== was)
      differences.push({ ...on, aspect: family, before: was, after: current[family] ?? null });
  }
  if (recorded.macAddress !== undefined && current.macAddress !== recorded.macAddress) {
    differences.push({ ...on, aspect: 'mac', before: recorded.macAddress, after: current.macAddress ?? null });
  }
  const was = requestedAddresses(recorded);
  const now = requestedAddresses(current);
  if (was !== now) differences.push({ ...on, aspect: 'address-configured', before: was, after: now });
  return differences;
}

/** The addresses the endpoint asks for ("10.0.0.5 and fd00::5"), or null when it asks for none. */
function requestedAddresses(network: AttachedNetwork): string | null {
  const addresses = [network.requested?.ipv4, network.requested?.ipv6].filter(Boolean);
  return addresses.length > 0 ? addresses.join(' and ') : null;
}

/**
 * A target removed (or replaced by compose under a new id) while the drill ran: its paused
 * processes, its network endpoints, everything the fault did went with it. A replacement is
 * not ours to touch: it was never part of the fault.
 */
export function goneNote(target: FaultTarget): string {
  return `${target.name} no longer exists (removed or replaced during the drill); nothing of the fault can remain on it`;
}

/** Inspects the container, giving a restart policy a few seconds to finish a restart. */
export async function settledState(target: FaultTarget, ctx: FaultContext): Promise<ContainerState> {
  const deadline = Date.now() + SETTLE_MS;
  let state = await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
  while (state.status === 'restarting' && Date.now() < deadline) {
    await sleep(SETTLE_POLL_MS, undefined, { signal: ctx.signal });
    state = await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
  }
  return state;
}

function connectCommand(target: FaultTarget, network: AttachedNetwork): string {
  const aliases = restorableAliases(network, target.containerId)
    .map((alias) => `--alias ${alias} `)
    .join('');
  return `docker network connect ${aliases}${network.networkName} ${target.containerId}`;
}

/** Everything a person may need when the container could not even be observed. */
function manualRestore(target: FaultTarget): string[] {
  return [
    `docker start ${target.containerId}  # or \`docker unpause ${target.containerId}\` if it is paused`,
    ...(target.networks ?? []).map((network) => connectCommand(target, network)),
  ];
}
