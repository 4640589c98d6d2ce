import { InternalError } from '../errors.js';
import { cachePurge } from './cache-purge.js';
import { diskFill } from './disk-fill.js';
import type { Fault } from './fault.js';
import { latency } from './latency.js';
import { networkPartition } from './network-partition.js';
import { packetLoss } from './packet-loss.js';
import { processKill } from './process-kill.js';
import { regionLoss } from './region-loss.js';
import { resourceLimits } from './resource-limits.js';
import { serviceFault } from './service.js';

/**
 * Every fault kind. spec-schema.ts builds the playbook's union of faults from this list, in
 * this order (the order the JSON Schema lists them in): adding a kind is its file and one line here.
 */
export const faultRegistry = [
  regionLoss,
  serviceFault,
  cachePurge,
  networkPartition,
  packetLoss,
  latency,
  resourceLimits,
  processKill,
  diskFill,
] as const;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds faults of every spec type; callers pass a spec its own schema parsed
type AnyFault = Fault<any>;

const faultsByKind: ReadonlyMap<string, AnyFault> = new Map(faultRegistry.map((fault): [string, AnyFault] => [fault.kind, fault]));

/** The fault of a kind; an unknown kind is a defect (playbooks are validated before this). */
export function getFault(kind: string): AnyFault {
  const fault = faultsByKind.get(kind);
  if (!fault) {
    const known = faultRegistry.map((registered) => registered.kind).join(', ');
    throw new InternalError(`no fault kind "${kind}" is registered (known: ${known})`);
  }
  return fault;
}
