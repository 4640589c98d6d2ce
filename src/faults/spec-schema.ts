import { z } from 'zod';
import { cachePurgeSchema } from './cache-purge.js';
import { regionLossSchema } from './region-loss.js';
import { serviceFaultSchema } from './service.js';

/** Every fault a playbook may inject, told apart by `kind`. Keep in step with registry.ts. */
export const faultSpecSchema = z.discriminatedUnion('kind', [regionLossSchema, serviceFaultSchema, cachePurgeSchema]);
export type FaultSpec = z.output<typeof faultSpecSchema>;
