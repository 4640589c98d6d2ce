import { z } from 'zod';
import { identifier } from '../playbook/common.js';
import { signalName } from '../playbook/common.js';

export const regionLossSchema = z.strictObject({
  kind: z.literal('region-loss'),
  id: identifier.optional(),
  region: identifier,
  /** kill and stop end the containers; pause freezes them; isolate cuts them off the project's networks. */
  mode: z.enum(['kill', 'stop', 'pause', 'isolate']).default('kill'),
  signal: signalName.default('SIGKILL'),
});
export type RegionLossSpec = z.output<typeof regionLossSchema>;
