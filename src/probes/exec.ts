import { z } from 'zod';
import { command, commandExpectation, serviceName } from '../playbook/common.js';
import { duration } from '../playbook/duration.js';

/** A command run in every container of a service; it holds when it holds in all of them. */
export const execProbeSchema = z.strictObject({
  kind: z.literal('exec'),
  name: z.string().optional(),
  service: serviceName,
  command,
  timeout: duration({ min: 10, max: 300_000 }).default(5000),
  expect: commandExpectation,
});
export type ExecProbeSpec = z.output<typeof execProbeSchema>;
