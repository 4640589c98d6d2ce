import { InternalError } from '../errors.js';
import { cachePurge } from './cache-purge.js';
import type { Fault } from './fault.js';
import { regionLoss } from './region-loss.js';
import { serviceFault } from './service.js';
import type { FaultSpec } from './spec-schema.js';

/** Every fault kind, by `kind`. Keep in step with the union in spec-schema.ts. */
export const faultRegistry = {
  'region-loss': regionLoss,
  service: serviceFault,
  'cache-purge': cachePurge,
} as const satisfies { [Kind in FaultSpec['kind']]: Fault<Extract<FaultSpec, { kind: Kind }>> };

/** The fault of a kind; an unknown kind is a defect (playbooks are validated before this). */
export function getFault(kind: string): Fault<any> {
  const fault = (faultRegistry as Record<string, Fault<any>>)[kind];
  if (!fault) {
    throw new InternalError(`no fault kind "${kind}" is registered (known: ${Object.keys(faultRegistry).join(', ')})`);
  }
  return fault;
}
