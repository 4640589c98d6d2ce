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
import type { FaultSpec } from './spec-schema.js';

/** Every fault kind, by `kind`. Keep in step with the union in spec-schema.ts. */
export const faultRegistry = {
  'region-loss': regionLoss,
  service: serviceFault,
  'cache-purge': cachePurge,
  'network-partition': networkPartition,
  'packet-loss': packetLoss,
  latency,
  'resource-limits': resourceLimits,
  'process-kill': processKill,
  'disk-fill': diskFill,
} as const satisfies { [Kind in FaultSpec['kind']]: Fault<Extract<FaultSpec, { kind: Kind }>> };

/** The fault of a kind; an unknown kind is a defect (playbooks are validated before this). */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds faults of every spec type; callers pass a spec its own schema parsed
export function getFault(kind: string): Fault<any> {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const fault = (faultRegistry as Record<string, Fault<any>>)[kind];
  if (!fault) {
    throw new InternalError(`no fault kind "${kind}" is registered (known: ${Object.keys(faultRegistry).join(', ')})`);
  }
  return fault;
}
