import type { AttachedNetwork } from '../../engine/ports.js';
import { messageOf } from '../../errors.js';
import type { FaultContext, FaultRecord, FaultTarget } from '../fault.js';
import { interfaceOf, interfacesOf } from './interface-names.js';
import { readEachNamespace } from './namespace-inspector.js';
import { findNetwork } from './reconnect.js';
import type { RevertDifference } from './revert-differences.js';

/**
 * The check of an isolate revert that looks inside the containers: which interface each network
 * is on now (eth0 → eth2), compared with the record. All targets are read by ONE namespace
 * inspector, as at plan time, with its PID checks and its helper-per-target fallback: Engine
 * 20.10 starts helpers one at a time (about 0.35 s each), so a helper per target made a region
 * of a hundred containers take longer than the revert's whole budget.
 *
 * The read-back has a deadline of its own, not the revert's: the reconnects may have used most
 * of that, and an interface name is no part of undoing the fault. What cannot be read back is
 * said (a difference with `unobserved`), never counted as a problem.
 */

/** The read-back's deadline: a base, and a little per target (a helper of its own where the inspector cannot be used). */
export const READBACK_TIMEOUT_MS = 30_000;
export const READBACK_PER_TARGET_MS = 500;

/** A target the revert found running, and the networks the engine says it is on now. */
export interface ObservedTarget {
  target: FaultTarget;
  attached: AttachedNetwork[];
}

/** The interface differences of each target, by container id; targets with no recorded interface name are not read. */
export async function interfaceDifferences(
  record: FaultRecord,
  observed: ObservedTarget[],
  ctx: FaultContext,
): Promise<Map<string, RevertDifference[]>> {
  const differences = new Map<string, RevertDifference[]>();
  const named = observed.filter(({ target }) => namedNetworks(target).length > 0);
  if (named.length === 0 || !record.helperImage) return differences;
  const timeoutMs = READBACK_TIMEOUT_MS + named.length * READBACK_PER_TARGET_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const unread = (error: unknown) => (signal.aborted ? `not read back within ${timeoutMs / 1000} s` : messageOf(error));
  let each: Awaited<ReturnType<typeof readEachNamespace>>;
  try {
    each = await readEachNamespace({ ...record, targets: named.map(({ target }) => target) }, ['addresses'], { ...ctx, signal });
  } catch (error) {
    for (const { target } of named) differences.set(target.containerId, unreadable(target, unread(error)));
    return differences;
  }
  named.forEach(({ target, attached }, index) => {
    const reading = each.readings.get(index);
    if (!reading) {
      differences.set(
        target.containerId,
        unreadable(target, unread(each.failures.get(index) ?? new Error('the helper gave no reading of it'))),
      );
      return;
    }
    let interfaces;
    try {
      interfaces = interfacesOf(reading);
    } catch (error) {
      differences.set(target.containerId, unreadable(target, messageOf(error)));
      return;
    }
    differences.set(
      target.containerId,
      renamed(target, attached, (network) => interfaceOf(network, interfaces)),
    );
  });
  return differences;
}

function namedNetworks(target: FaultTarget): (AttachedNetwork & { interfaceName: string })[] {
  return (target.networks ?? []).filter(
    (network): network is AttachedNetwork & { interfaceName: string } => network.interfaceName !== undefined,
  );
}

/** A network on another interface than recorded (or on none that carries its address). */
function renamed(
  target: FaultTarget,
  attached: AttachedNetwork[],
  deviceOf: (network: AttachedNetwork) => string | undefined,
): RevertDifference[] {
  return namedNetworks(target).flatMap((network) => {
    const current = findNetwork(attached, network);
    const device = current && deviceOf(current);
    if (device === network.interfaceName) return [];
    return [
      {
        container: target.name,
        network: network.networkName,
        aspect: 'interface' as const,
        before: network.interfaceName,
        after: device ?? null,
      },
    ];
  });
}

function unreadable(target: FaultTarget, why: string): RevertDifference[] {
  return namedNetworks(target).map((network) => ({
    container: target.name,
    network: network.networkName,
    aspect: 'interface' as const,
    before: network.interfaceName,
    after: null,
    unobserved: why,
  }));
}
