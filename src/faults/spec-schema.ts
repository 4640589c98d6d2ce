import { z } from 'zod';
import { cachePurgeSchema } from './cache-purge.js';
import { diskFillSchema } from './disk-fill.js';
import { latencySchema } from './latency.js';
import { networkPartitionSchema } from './network-partition.js';
import { packetLossSchema } from './packet-loss.js';
import { processKillSchema } from './process-kill.js';
import { regionLossSchema } from './region-loss.js';
import { resourceLimitsSchema } from './resource-limits.js';
import { serviceFaultSchema } from './service.js';

/** Every fault a playbook may inject, told apart by `kind`. Keep in step with registry.ts. */
export const faultSpecSchema = z.discriminatedUnion('kind', [
  regionLossSchema,
  serviceFaultSchema,
  cachePurgeSchema,
  networkPartitionSchema,
  packetLossSchema,
  latencySchema,
  resourceLimitsSchema,
  processKillSchema,
  diskFillSchema,
]);
export type FaultSpec = z.output<typeof faultSpecSchema>;
