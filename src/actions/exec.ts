import { z } from 'zod';
import { command, commandExpectation, serviceName } from '../playbook/common.js';
import { duration } from '../playbook/duration.js';

/** A command run in every running container of a service. */
export const execActionSchema = z.strictObject({
  kind: z.literal('exec'),
  service: serviceName,
  command,
  timeout: duration({ min: 10, max: 3_600_000 }).default(30_000),
  expect: commandExpectation,
});
export type ExecActionSpec = z.output<typeof execActionSchema>;
