import { z } from 'zod';
import { serviceName } from '../playbook/common.js';

/** Docker's health status of every container of a service. */
export const healthProbeSchema = z.strictObject({
  kind: z.literal('health'),
  name: z.string().optional(),
  service: serviceName,
  expect: z
    .strictObject({ status: z.enum(['healthy', 'unhealthy', 'starting', 'running']).default('healthy') })
    .default({ status: 'healthy' }),
});
export type HealthProbeSpec = z.output<typeof healthProbeSchema>;
