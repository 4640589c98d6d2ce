import { setTimeout as sleep } from 'node:timers/promises';
import type { AttachedNetwork, ContainerState } from '../engine/ports.js';
import { isContainerGone } from '../engine/container-gone.js';
import { restorableAliases } from './container-modes.js';
import { messageOf } from '../errors.js';
import type { FaultContext, FaultTarget, RevertResult } from './fault.js';
import { mergeOutcomes } from './revert-outcomes.js';

/**
 * The revert of region-loss and service faults. Every target was running when it was pinned,
 * so reverting means: bring it back to running (unpause it if paused, start it if not running),
 * put it back on the networks recorded for it with their aliases, then OBSERVE that it is so.
 *
 * Working from the observed state rather than from the fault's mode makes the revert
 * idempotent and correct after a partial injection, a second revert, or someone's manual fix.
 * Every target is handled even when another fails.
 */

/** How long a container may stay "restarting" (a restart policy at work) before it counts as down. */
const SETTLE_MS = 5_000;
const SETTLE_POLL_MS = 250;

interface TargetOutcome {
  done: string[];
  problems: string[];
  manual: string[];
}

export async function restoreTargets(targets: FaultTarget[], ctx: FaultContext): Promise<RevertResult> {
  const outcomes = await Promise.all(targets.map((target) => restoreOne(target, ctx)));
  return mergeOutcomes(outcomes.map((outcome) => ({ verified: outcome.problems.length === 0, ...outcome })));
}

async function restoreOne(target: FaultTarget, ctx: FaultContext): Promise<TargetOutcome> {
  const done: string[] = [];
  const failed: string[] = [];
  try {
    await bringBackRunning(target, ctx, done);
  } catch (error) {
    if (isContainerGone(error)) return { done: [goneNote(target)], problems: [], manual: [] };
    failed.push(messageOf(error));
  }
  if (target.networks) {
    await reconnect(target, target.networks, ctx, done).catch((error: unknown) => failed.push(messageOf(error)));
  }
  const check = await verify(target, ctx);
  // An action that failed but whose effect is observed anyway (someone else fixed it) is no problem.
  if (check.problems.length === 0) return { done, problems: [], manual: [] };
  return { done, problems: [...failed, ...check.problems], manual: check.manual };
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

async function reconnect(target: FaultTarget, recorded: AttachedNetwork[], ctx: FaultContext, done: string[]): Promise<void> {
  const call = { signal: ctx.signal };
  const attached = await ctx.engine.attachedNetworks(target.containerId, call);
  for (const network of recorded) {
    const aliases = restorableAliases(network, target.containerId);
    const current = findNetwork(attached, network);
    if (current && missingAliases(current, aliases).length === 0) {
      done.push(`${target.name} was on network ${network.networkName}`);
      continue;
    }
    // On the network without its aliases (reconnected by hand?): connect again, properly.
    if (current) await ctx.engine.disconnect(network.networkId, target.containerId, call);
    await ctx.engine.connect(network.networkId, target.containerId, aliases, call);
    done.push(`reconnected ${target.name} to network ${network.networkName} with aliases [${aliases.join(', ')}]`);
  }
}

async function verify(target: FaultTarget, ctx: FaultContext): Promise<{ problems: string[]; manual: string[] }> {
  const problems: string[] = [];
  const manual: string[] = [];
  try {
    const state = await settledState(target, ctx);
    if (state.status === 'paused') {
      problems.push(`${target.name} is still paused`);
      manual.push(`docker unpause ${target.containerId}`);
    } else if (state.status !== 'running') {
      problems.push(`${target.name} is ${state.status}, not running`);
      manual.push(`docker start ${target.containerId}`);
    }
    if (target.networks) await verifyNetworks(target, target.networks, ctx, problems, manual);
  } catch (error) {
    problems.push(`could not observe ${target.name}: ${messageOf(error)}`);
    manual.push(...manualRestore(target));
  }
  return { problems, manual };
}

async function verifyNetworks(target: FaultTarget, recorded: AttachedNetwork[], ctx: FaultContext, problems: string[], manual: string[]): Promise<void> {
  const attached = await ctx.engine.attachedNetworks(target.containerId, { signal: ctx.signal });
  for (const network of recorded) {
    const current = findNetwork(attached, network);
    const connect = connectCommand(target, network);
    if (!current) {
      problems.push(`${target.name} is not on network ${network.networkName}`);
      manual.push(connect);
      continue;
    }
    const missing = missingAliases(current, restorableAliases(network, target.containerId));
    if (missing.length > 0) {
      problems.push(`${target.name} is on network ${network.networkName} without its aliases ${missing.join(', ')}`);
      manual.push(`docker network disconnect ${network.networkName} ${target.containerId} && ${connect}`);
    }
  }
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

function findNetwork(attached: AttachedNetwork[], wanted: AttachedNetwork): AttachedNetwork | undefined {
  return attached.find((n) => n.networkId === wanted.networkId) ?? attached.find((n) => n.networkName === wanted.networkName);
}

function missingAliases(network: AttachedNetwork, wanted: string[]): string[] {
  return wanted.filter((alias) => !network.aliases.includes(alias));
}

function connectCommand(target: FaultTarget, network: AttachedNetwork): string {
  const aliases = restorableAliases(network, target.containerId).map((alias) => `--alias ${alias} `).join('');
  return `docker network connect ${aliases}${network.networkName} ${target.containerId}`;
}

/** Everything a person may need when the container could not even be observed. */
function manualRestore(target: FaultTarget): string[] {
  return [
    `docker start ${target.containerId}  # or \`docker unpause ${target.containerId}\` if it is paused`,
    ...(target.networks ?? []).map((network) => connectCommand(target, network)),
  ];
}
