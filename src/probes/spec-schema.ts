import { z } from 'zod';
import { execProbeSchema } from './exec.js';
import { healthProbeSchema } from './health.js';
import { hostProbeSchema } from './host.js';
import { httpProbeSchema } from './http.js';
import { tcpProbeSchema } from './tcp.js';

/** Every probe a playbook may use, told apart by `kind`. Keep in step with registry.ts. */
export const probeSpecSchema = z.discriminatedUnion('kind', [
  httpProbeSchema,
  tcpProbeSchema,
  execProbeSchema,
  healthProbeSchema,
  hostProbeSchema,
]);
export type ProbeSpec = z.output<typeof probeSpecSchema>;
