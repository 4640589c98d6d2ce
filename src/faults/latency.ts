import { z } from 'zod';
import { InternalError, ScopeError } from '../errors.js';
import { serviceName } from '../spec/common.js';
import { duration, formatDuration } from '../spec/duration.js';
import { serviceContainers } from '../topology/topology.js';
import { applyToAll } from './mechanisms/container-modes.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault, FaultContext, FaultRecord, FaultTarget, PlannedAction, RevertResult } from './fault.js';
import { readNamespaces, withNote } from './mechanisms/namespace-inspector.js';
import {
  leftoversError,
  manualInNetns,
  pinOnProjectNetworks,
  revertNamespaces,
  runInNetnsChecked,
  shellWords,
} from './mechanisms/netns-helper.js';
import { listingText, type NamespaceReading } from './mechanisms/netns-listings.js';
import { delayWords, parseAddresses, parseQdiscs, qdiscHandle, requireNetem } from './mechanisms/traffic-control.js';

export const latencySchema = z
  .strictObject({
    kind: z.literal('latency'),
    ...faultCommonFields,
    /** The service whose containers' packets are delayed. */
    service: serviceName,
    /** Added to every packet the containers send on the project's networks. */
    delay: duration({ min: 1, max: 60_000 }),
    /** Each packet's delay varies by up to this much either way. */
    jitter: duration({ min: 0, max: 60_000 }).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.jitter !== undefined && spec.jitter > spec.delay) {
      ctx.addIssue({ code: 'custom', path: ['jitter'], message: 'jitter cannot be larger than delay' });
    }
  });
export type LatencySpec = z.output<typeof latencySchema>;

/** A tc major handle as qdiscHandle makes them: 1 to 4 hex digits and a colon. */
const TC_HANDLE = /^[0-9a-f]{1,4}:$/;

/** What preflight pins per target: our qdisc handle and the interfaces on the project's networks. */
const pinnedInterfaces = z.strictObject({
  handle: z.string().regex(TC_HANDLE),
  interfaces: z.array(z.strictObject({ device: z.string().regex(/^[\w.-]+$/), network: z.string() })).min(1),
});
type PinnedInterfaces = z.output<typeof pinnedInterfaces>;

function pinnedOf(target: FaultTarget): PinnedInterfaces {
  const parsed = pinnedInterfaces.safeParse(target.before);
  if (!parsed.success)
    throw new InternalError(`latency target ${target.name} has no interfaces recorded; preflight pins them at plan time`);
  return parsed.data;
}

/**
 * Delays every packet the containers of a service send on the project's networks, with a netem
 * qdisc as the root of each such interface, added from a helper (tc, NET_ADMIN). Round trips
 * with the service take `delay` longer. Needs netem in the engine's kernel: preflight checks
 * it, and the interfaces and their qdiscs, before anything is injected. Revert deletes a root
 * qdisc only when it carries this fault's handle.
 */
export const latency: Fault<LatencySpec, typeof latencySchema> = {
  kind: 'latency',
  schema: latencySchema,
  revertible: true,
  usesHelper: true,

  describe: (spec) => `delay every packet sent by service ${spec.service} by ${delayText(spec)}`,

  targets: (spec, topology) =>
    pinOnProjectNetworks(serviceContainers(topology, spec.service), topology, `latency of service "${spec.service}"`),

  async preflight(record, ctx) {
    await requireNetem(record, ctx);
    // Every target's addresses and qdiscs, from one namespace inspector where the engine allows it.
    const { results: targets, note } = await readNamespaces(
      record,
      ['addresses', 'qdiscs'],
      ctx,
      (target, reading): FaultTarget => ({
        ...target,
        before: { ...target.before, ...pinInterfaces(record, target, reading, ctx) },
      }),
    );
    return withNote({ ...record, targets }, note);
  },

  plan: (record) => record.targets.map((target) => planTarget(record, target)),

  inject: (record, ctx) =>
    applyToAll(record.targets, `latency ${record.ref} on service ${record.spec.service}`, async (target) => {
      const { handle, interfaces } = pinnedOf(target);
      for (const { device } of interfaces) await runInNetnsChecked(record, target, addCommand(record.spec, device, handle), ctx);
    }),

  revert: async (record, ctx) =>
    revertNamespaces(
      record.targets,
      ctx,
      `the netem qdisc ${handleOf(record, record.targets[0])}`,
      (target) => removeOurs(record, target, ctx),
      (target) => manualRemoval(record, target),
    ),
};

/** Finds the interfaces carrying the target's project-network addresses; refuses ones with a root qdisc of their own. */
function pinInterfaces(
  record: FaultRecord<LatencySpec>,
  target: FaultTarget,
  reading: NamespaceReading,
  ctx: FaultContext,
): PinnedInterfaces {
  const addresses = parseAddresses(listingText(reading, 'addresses'));
  const qdiscs = parseQdiscs(listingText(reading, 'qdiscs'));
  const interfaces = (target.networks ?? []).flatMap((network) => {
    const found = addresses.find((address) => address.ipv4 === network.ipv4);
    return found ? [{ device: found.device, network: network.networkName }] : [];
  });
  if (interfaces.length === 0) {
    throw new ScopeError(
      `latency: no interface of ${target.name} carries its addresses on the project's networks (${(target.networks ?? []).map((n) => `${n.networkName} ${n.ipv4 ?? 'no IPv4'}`).join(', ')})`,
    );
  }
  const handle = qdiscHandle(record.ref);
  for (const { device } of interfaces) {
    const root = qdiscs.find((qdisc) => qdisc.device === device && qdisc.root);
    if (root?.handle === handle) {
      const remove = manualInNetns(record, target, ['tc', 'qdisc', 'del', 'dev', device, 'root', 'handle', handle]);
      throw leftoversError(
        target,
        `a root qdisc (${root.kind}) on ${device} with handle ${handle}, the one firedrill gives fault "${record.ref}"`,
        ctx,
        [remove],
      );
    }
    if (root && root.handle !== '0:') {
      throw new ScopeError(
        `latency: interface ${device} of ${target.name} already has a root qdisc (${root.kind} ${root.handle}); a netem root would have to ` +
          'replace it, which firedrill does not do — remove it, or choose another fault',
      );
    }
  }
  return { handle, interfaces };
}

function addCommand(spec: LatencySpec, device: string, handle: string): string[] {
  return ['tc', 'qdisc', 'add', 'dev', device, 'root', 'handle', handle, 'netem', ...delayWords(spec.delay, spec.jitter)];
}

/** Deletes every root qdisc carrying our handle (on whatever interface), then lists again. */
async function removeOurs(record: FaultRecord<LatencySpec>, target: FaultTarget, ctx: FaultContext): Promise<RevertResult> {
  const handle = handleOf(record, target);
  const list = async () =>
    parseQdiscs(await runInNetnsChecked(record, target, ['tc', 'qdisc', 'show'], ctx)).filter((q) => q.root && q.handle === handle);
  const found = await list();
  for (const qdisc of found)
    await runInNetnsChecked(record, target, ['tc', 'qdisc', 'del', 'dev', qdisc.device, 'root', 'handle', handle], ctx);
  const left = await list();
  if (left.length === 0) {
    const what =
      found.length === 0
        ? `${target.name} had no root qdisc with handle ${handle}`
        : `deleted the netem qdisc ${handle} of ${found.map((q) => q.device).join(', ')} in ${target.name}`;
    return { verified: true, done: [`${what}; tc qdisc show there shows none now`], problems: [], manual: [] };
  }
  return {
    verified: false,
    done: [],
    problems: [`${target.name} still has a root qdisc with handle ${handle} on ${left.map((q) => q.device).join(', ')}`],
    manual: left.map((q) => manualInNetns(record, target, ['tc', 'qdisc', 'del', 'dev', q.device, 'root', 'handle', handle])),
  };
}

function planTarget(record: FaultRecord<LatencySpec>, target: FaultTarget): PlannedAction {
  const handle = handleOf(record, target);
  const interfaces = pinnedInterfacesOrNone(target);
  const where = interfaces
    ? interfaces
        .map(({ device, network }) => `${device} (network ${network}): ${shellWords(addCommand(record.spec, device, handle))}`)
        .join('; ')
    : 'each of its interfaces on the project networks (found at plan time)';
  return {
    apply: `delay every packet container ${target.name} (service ${target.service}) sends by ${delayText(record.spec)}, from a helper with NET_ADMIN, on ${where}`,
    revert: `delete the root qdisc with handle ${handle} wherever ${target.name} has one (tc refuses if the root is not ours), then check with tc qdisc show that none is left`,
  };
}

function pinnedInterfacesOrNone(target: FaultTarget): PinnedInterfaces['interfaces'] | undefined {
  return pinnedInterfaces.safeParse(target.before).data?.interfaces;
}

/** Commands that remove our qdisc by hand: per pinned interface, or on every interface when none is recorded. */
function manualRemoval(record: FaultRecord, target: FaultTarget): string[] {
  const handle = handleOf(record, target);
  const devices = pinnedInterfacesOrNone(target)?.map((i) => i.device);
  if (devices)
    return devices.map((device) => manualInNetns(record, target, ['tc', 'qdisc', 'del', 'dev', device, 'root', 'handle', handle]));
  // The handle is an argument ($0), never part of the script.
  const script = 'for dev in $(ls /sys/class/net); do tc qdisc del dev "$dev" root handle "$0" 2>/dev/null; done; tc qdisc show';
  return [manualInNetns(record, target, ['sh', '-c', script, handle])];
}

/**
 * The handle recorded at plan time; derived again only for a record that has none. A recorded
 * one that is no tc handle is a damaged record: it goes into commands, so it is refused.
 */
function handleOf(record: FaultRecord, target: FaultTarget | undefined): string {
  const recorded = target?.before?.['handle'];
  if (recorded === undefined) return qdiscHandle(record.ref);
  if (typeof recorded !== 'string' || !TC_HANDLE.test(recorded)) {
    throw new InternalError(
      `latency target ${target?.name ?? '?'} has ${JSON.stringify(recorded)} recorded as its qdisc handle, which is no tc handle (like "8e3a:")`,
    );
  }
  return recorded;
}

function delayText(spec: LatencySpec): string {
  return spec.jitter ? `${formatDuration(spec.delay)} ± ${formatDuration(spec.jitter)}` : formatDuration(spec.delay);
}
