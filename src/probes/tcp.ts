import { z } from 'zod';
import { duration } from '../playbook/duration.js';

export const tcpProbeSchema = z.strictObject({
  kind: z.literal('tcp'),
  name: z.string().optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  timeout: duration({ min: 10, max: 300_000 }).default(2000),
});
export type TcpProbeSpec = z.output<typeof tcpProbeSchema>;
