import type { FaultContext, FaultRecord, FaultTarget } from '../fault.js';
import { interfacesOf, withInterfaceNames } from './interface-names.js';
import { readNamespaces, withNote } from './namespace-inspector.js';

/**
 * Preflight of region-loss `isolate`: what a revert needs to give each container back as it
 * was, beyond what discovery recorded (networks, aliases, addresses, MAC addresses): the name
 * of the interface each network is on, read from a helper in the container's namespace, and
 * the networks put in interface order (eth0 first) — the order the revert reconnects them in.
 * Whether the engine can be asked for interface names is recorded for the plan's words.
 */
export async function recordEndpoints<Spec>(record: FaultRecord<Spec>, ctx: FaultContext): Promise<FaultRecord<Spec>> {
  const support = await ctx.engine.endpointSupport({ signal: ctx.signal });
  // Every target's interfaces, from one namespace inspector where the engine allows it.
  const { results: targets, note } = await readNamespaces(
    record,
    ['addresses'],
    ctx,
    (target, reading): FaultTarget => ({
      ...target,
      networks: withInterfaceNames(target.networks ?? [], interfacesOf(reading)),
      before: { ...target.before, interfaceNamesAsked: support.interfaceName },
    }),
  );
  return withNote({ ...record, targets }, note);
}
