import { z } from 'zod';
import { identifier, serviceName, signalName } from '../playbook/common.js';

export const serviceFaultSchema = z.strictObject({
  kind: z.literal('service'),
  id: identifier.optional(),
  service: serviceName,
  mode: z.enum(['kill', 'stop', 'pause', 'restart']).default('kill'),
  signal: signalName.default('SIGKILL'),
});
export type ServiceFaultSpec = z.output<typeof serviceFaultSchema>;
