import { z } from 'zod';
import { duration } from '../playbook/duration.js';

const statusList = z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]);

export const httpProbeSchema = z.strictObject({
  kind: z.literal('http'),
  name: z.string().optional(),
  url: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  timeout: duration({ min: 10, max: 300_000 }).default(2000),
  expect: z
    .strictObject({
      /** One status or a list; by default any 2xx or 3xx. */
      status: statusList.optional(),
      bodyContains: z.string().optional(),
      bodyMatches: z.string().optional(),
      /** A field of a JSON body, by dotted path ("region", "items.0.id"). */
      json: z
        .strictObject({
          path: z.string().min(1),
          equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
        })
        .optional(),
      maxLatency: duration({ min: 1, max: 300_000 }).optional(),
    })
    .default({}),
});
export type HttpProbeSpec = z.output<typeof httpProbeSchema>;
