import type { AttachedNetwork, ContainerInfo } from '../../engine/ports.js';
import { messageOf, ScopeError } from '../../errors.js';
import type { Topology } from '../../topology/topology.js';
import type { FaultContext, FaultTarget, PlannedAction } from '../fault.js';
import { interfaceNamesAsked } from './interface-names.js';
import { composeCommandName } from '../../topology/compose-command-name.js';

/**
 * What region-loss and service faults do to one container, and how that is described.
 * Targets are pinned by id from the topology snapshot; only running containers qualify,
 * because reverting means "running again, as before".
 */

export type ContainerMode = 'kill' | 'stop' | 'pause' | 'restart' | 'isolate';

/** Pins running containers by id; any container not running is a ScopeError naming it. */
export function pinRunning(containers: ContainerInfo[], topology: Topology, what: string): FaultTarget[] {
  const notRunning = containers.filter((container) => container.status !== 'running');
  if (notRunning.length > 0) {
    const list = notRunning.map((c) => `${c.name} (${c.service}) is ${c.status}`).join(', ');
    throw new ScopeError(
      `${what} acts on running containers only, but in compose project "${topology.project}" ${list} — ` +
        `start it first (${composeCommandName()} up -d) or leave it out of the drill`,
    );
  }
  return containers.map((container) => ({ containerId: container.id, name: container.name, service: container.service }));
}

/**
 * Records, for each target, the project's networks it is on and its aliases there, so that
 * isolating can be undone exactly. Networks the project does not own (external ones, the
 * default bridge) are left alone.
 */
export function withProjectNetworks(targets: FaultTarget[], containers: ContainerInfo[], topology: Topology): FaultTarget[] {
  const projectNetworks = new Set(topology.networks.flatMap((network) => [network.id, network.name]));
  return targets.map((target) => {
    const container = containers.find((c) => c.id === target.containerId);
    const networks: AttachedNetwork[] = (container?.networks ?? [])
      .filter((network) => projectNetworks.has(network.networkId) || projectNetworks.has(network.networkName))
      .map((network) => ({ ...network, aliases: [...network.aliases] }));
    if (networks.length === 0) {
      throw new ScopeError(
        `container ${target.name} (${target.service}) is on no network of compose project "${topology.project}"; ` +
          'isolating it would change nothing — use mode kill, stop or pause instead',
      );
    }
    return { ...target, networks };
  });
}

export async function applyMode(mode: ContainerMode, target: FaultTarget, signalName: string, ctx: FaultContext): Promise<void> {
  const call = { signal: ctx.signal };
  switch (mode) {
    case 'kill':
      return ctx.engine.kill(target.containerId, signalName, call);
    case 'stop':
      return ctx.engine.stop(target.containerId, call);
    case 'pause':
      return ctx.engine.pause(target.containerId, call);
    case 'restart':
      return ctx.engine.restart(target.containerId, call);
    case 'isolate':
      await Promise.all((target.networks ?? []).map((network) => ctx.engine.disconnect(network.networkId, target.containerId, call)));
  }
}

/**
 * Runs `apply` on every target at once. When any fails, throws one Error naming each failed
 * target; the others stay applied, and revert copes with that partial state.
 */
export async function applyToAll(targets: FaultTarget[], what: string, apply: (target: FaultTarget) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(targets.map(apply));
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected' ? [`${targets[i]!.name}: ${messageOf(result.reason)}`] : [],
  );
  if (failures.length > 0) {
    throw new Error(`${what} failed on ${failures.length} of ${targets.length} containers — ${failures.join('; ')}`);
  }
}

export function planMode(mode: ContainerMode, target: FaultTarget, signalName: string): PlannedAction {
  const who = `container ${target.name} (service ${target.service})`;
  const started = `start ${target.name} again and check that it is running`;
  switch (mode) {
    case 'kill':
      return { apply: `kill ${who} with ${signalName}`, revert: started };
    case 'stop':
      return { apply: `stop ${who} (SIGTERM, then SIGKILL after its grace period)`, revert: started };
    case 'pause':
      return { apply: `pause ${who}, freezing its processes`, revert: `unpause ${target.name} and check that it is running` };
    case 'restart':
      return { apply: `restart ${who}`, revert: `nothing to undo; check that ${target.name} is running again (start it if not)` };
    case 'isolate':
      return {
        apply: `disconnect ${who} from network${(target.networks ?? []).length === 1 ? '' : 's'} ${(target.networks ?? []).map((n) => n.networkName).join(', ')}`,
        revert: isolateRevertWords(target),
      };
  }
}

/**
 * The revert of isolate, exactly: each network as it was (interface, addresses, aliases), in
 * that order, what is checked, and what is reported when the engine cannot give it back.
 */
function isolateRevertWords(target: FaultTarget): string {
  const networks = target.networks ?? [];
  const back = networks.map((n) => {
    const facts = [n.interfaceName, n.ipv4, n.ipv6, n.macAddress && `MAC ${n.macAddress}`].filter(Boolean);
    const aliases = restorableAliases(n, target.containerId).join(', ') || 'none';
    return `${n.networkName} (${[...facts, `aliases ${aliases}`].join(', ')})`;
  });
  const order = networks.length > 1 ? ', in that order' : '';
  const names = networks.some((n) => n.interfaceName !== undefined)
    ? interfaceNamesAsked(target) === false
      ? `; this engine cannot be asked for interface names, so ${target.name} will be on other ones (its next free eth<n>): reported as a difference`
      : '; interface names are asked for and read back from a helper in its network namespace'
    : '';
  return (
    `reconnect ${target.name} to ${back.join(', then ')}${order}, each with the address it had (asked of the engine only where it does not ` +
    `give it back by itself); then check that it is on them with those aliases, and compare its addresses, MAC addresses and address ` +
    `configuration with these, reporting each that differs as a difference${names}`
  );
}

/**
 * Aliases to give back on reconnect. The engine itself adds the container's short id (12 hex
 * digits) as an alias on user-defined networks (checked on Engine 20.10), so it is not ours to
 * restore or to check.
 */
export function restorableAliases(network: AttachedNetwork, containerId: string): string[] {
  return network.aliases.filter((alias) => alias !== containerId.slice(0, 12));
}
