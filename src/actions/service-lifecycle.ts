import { z } from 'zod';
import { serviceName } from '../playbook/common.js';

/** Start (if not running) or restart every container of a service. */
export const serviceLifecycleActionSchema = z.strictObject({
  kind: z.enum(['start', 'restart']),
  service: serviceName,
});
export type ServiceLifecycleActionSpec = z.output<typeof serviceLifecycleActionSchema>;
