import { isContainerGone } from '../../engine/container-gone.js';
import type { ContainerInfo, ExecResult } from '../../engine/ports.js';
import { InternalError, messageOf, ScopeError } from '../../errors.js';
import type { Topology } from '../../topology/topology.js';
import { pinRunning } from './container-modes.js';
import type { FaultContext, FaultRecord, FaultTarget, RevertResult } from '../fault.js';
import {
  listingsShown,
  listingToken,
  namespaceArguments,
  NAMESPACE_SCRIPT,
  parseNamespaceOutput,
  type Listing,
  type NamespaceReading,
} from './netns-listings.js';
import { mergeOutcomes } from './revert-outcomes.js';

/**
 * What the network faults (network-partition, packet-loss, latency) share: they change a
 * target's network namespace from a helper container that joins it with NET_ADMIN, so the
 * target's image needs neither iptables nor tc, and they revert namespace by namespace.
 * At plan time they only read namespaces: many at once from the namespace inspector
 * (namespace-inspector.ts), or one by one with readNamespace below, through the same script.
 */

/** One helper call (iptables, tc, ip) gets this long; they take well under a second. */
const HELPER_TIMEOUT_MS = 20_000;

/** The capability iptables and tc need inside the target's namespace. */
const CAPABILITIES = ['NET_ADMIN'];

/** The image helpers run from: the id planning pinned (a record from before pinning holds a name). */
export function helperImageOf(record: FaultRecord): string {
  if (!record.helperImage) {
    throw new InternalError(
      `fault "${record.ref}" (${record.kind}) has no helper image pinned; planning sets it for faults that use helpers`,
    );
  }
  return record.helperImage;
}

/** The helper image as people know it: "firedrill-base:bookworm (sha256:66a90b4ebb3a)". */
export function helperImageText(record: FaultRecord): string {
  const image = helperImageOf(record);
  const short = /^sha256:[0-9a-f]{64}$/.test(image) ? image.slice(0, 19) : image;
  return record.helperImageName && record.helperImageName !== image ? `${record.helperImageName} (${short})` : short;
}

/** Runs `command` in the target's network namespace; a non-zero exit is returned, not thrown. */
export function runInNetns(
  record: FaultRecord,
  target: FaultTarget,
  command: string[],
  ctx: FaultContext,
  purpose?: string,
): Promise<ExecResult> {
  return ctx.engine.runHelper(
    {
      image: helperImageOf(record),
      command,
      networkOf: target.containerId,
      capAdd: CAPABILITIES,
      labels: { 'firedrill.fault': record.ref },
      ...(purpose !== undefined ? { purpose } : {}),
    },
    { signal: ctx.signal, timeoutMs: HELPER_TIMEOUT_MS },
  );
}

/** Like runInNetns, but a non-zero exit throws with what the command said; resolves with stdout. */
export async function runInNetnsChecked(
  record: FaultRecord,
  target: FaultTarget,
  command: string[],
  ctx: FaultContext,
  purpose?: string,
): Promise<string> {
  const result = await runInNetns(record, target, command, ctx, purpose);
  if (result.exitCode !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ').slice(0, 400);
    throw new Error(
      `\`${command[0]}\` in the network namespace of ${target.name} exited with code ${result.exitCode}${said ? `: ${said}` : ''}`,
    );
  }
  return result.stdout;
}

/**
 * Reads listings of one target's network namespace from a helper inside it: the per-target
 * path of plan-time reading (namespace-inspector.ts reads many namespaces from one helper, with
 * the same script and the same parser). A helper that fails, or output cut short, throws.
 */
export async function readNamespace(
  record: FaultRecord,
  target: FaultTarget,
  listings: readonly Listing[],
  ctx: FaultContext,
): Promise<NamespaceReading> {
  const token = listingToken();
  const command = ['sh', '-c', NAMESPACE_SCRIPT, ...namespaceArguments(token, 'self', listings)];
  const output = await runInNetnsChecked(record, target, command, ctx, `read its network namespace (${listingsShown(listings)})`);
  return { name: target.name, listings: parseNamespaceOutput(output, token).listings.get('self') ?? new Map() };
}

/** The same command as a person would run it by hand. */
export function manualInNetns(record: FaultRecord, target: FaultTarget, command: string[]): string {
  const image = record.helperImage ?? '<an image with iptables and iproute2>';
  return `docker run --rm --network container:${target.containerId} --cap-add ${CAPABILITIES.join(',')} ${shellWords([image, ...command])}`;
}

/** Words quoted for a POSIX shell where needed. */
export function shellWords(words: string[]): string {
  return words.map((word) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/**
 * Pins running containers with the project networks they are on (and their IPv4 addresses).
 * A container on none of them (network_mode host, none, or another container's namespace)
 * is a ScopeError: its traffic is not the project's to change from here.
 */
export function pinOnProjectNetworks(containers: ContainerInfo[], topology: Topology, what: string): FaultTarget[] {
  const projectNetworks = new Set(topology.networks.map((network) => network.id));
  return pinRunning(containers, topology, what).map((target) => {
    const container = containers.find((c) => c.id === target.containerId);
    const networks = (container?.networks ?? [])
      .filter((network) => projectNetworks.has(network.networkId))
      .map((network) => ({ ...network, aliases: [...network.aliases] }));
    if (networks.length === 0) {
      throw new ScopeError(
        `${what} acts on the networks of compose project "${topology.project}", but container ${target.name} (${target.service}) ` +
          "is on none of them (network_mode host, none or another container's?) — leave its service out of the fault",
      );
    }
    return { ...target, networks };
  });
}

/**
 * Reverts every target in parallel and folds the outcomes into one RevertResult.
 *
 * A target whose container is gone, or not running, needs nothing: Docker releases a
 * container's network namespace when it stops (checked on Engine 20.10: a stopped container
 * cannot be joined, and it comes back with an empty rule set), so whatever the fault put
 * there went with it. That is said in `done` and counts as verified. Only running and paused
 * containers (a paused one can still be joined) are cleaned by `clean`; when that fails because
 * the container stopped meanwhile, the same holds.
 */
export async function revertNamespaces(
  targets: FaultTarget[],
  ctx: FaultContext,
  ours: string,
  clean: (target: FaultTarget) => Promise<RevertResult>,
  manual: (target: FaultTarget) => string[],
): Promise<RevertResult> {
  const outcomes = await Promise.all(
    targets.map(async (target): Promise<RevertResult> => {
      try {
        const released = await releasedNamespace(target, ctx, ours);
        if (released) return { verified: true, done: [released], problems: [], manual: [] };
        return await clean(target);
      } catch (error) {
        const released = await releasedNamespace(target, ctx, ours).catch(() => undefined);
        if (released) return { verified: true, done: [released], problems: [], manual: [] };
        return {
          verified: false,
          done: [],
          problems: [`could not remove ${ours} from ${target.name}: ${messageOf(error)}`],
          manual: manual(target),
        };
      }
    }),
  );
  return mergeOutcomes(outcomes);
}

/** Why the target holds nothing of ours any more, or undefined when its namespace is live. */
async function releasedNamespace(target: FaultTarget, ctx: FaultContext, ours: string): Promise<string | undefined> {
  try {
    const state = await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
    if (state.status === 'running' || state.status === 'paused') return undefined;
    return `${target.name} is ${state.status}: Docker released its network namespace when it stopped, and ${ours} with it (it starts with a fresh one)`;
  } catch (error) {
    if (isContainerGone(error)) return `${target.name} no longer exists: its network namespace, and ${ours} in it, went with it`;
    throw error;
  }
}

/**
 * The refusal, at plan time, of a target that already holds what a firedrill fault leaves
 * (marked rules, a qdisc under one of our handles): a revert of this drill could take it for
 * its own and delete it, since marks and handles derive from fault ids like "step-1" alone.
 * Another drill on the project still runs, or one was killed before it could revert (its
 * journal may be in another runs directory, where a new run does not look).
 */
export function leftoversError(target: FaultTarget, what: string, ctx: FaultContext, removeByHand: string[]): ScopeError {
  const project = ctx.project ?? '<compose project>';
  return new ScopeError(
    `${target.name} (${target.service}) already holds ${what}: a drill on this project is still running, or an earlier one was ` +
      'killed before it could revert it, and a revert of this drill could delete it as its own — nothing was touched. ' +
      `If no drill runs, run \`firedrill recover --project ${project}\` (add --runs-dir if that run used another runs directory), ` +
      `or remove it by hand: ${removeByHand.join('; ')}`,
  );
}
