import { z } from 'zod';
import { command, commandExpectation } from '../playbook/common.js';
import { duration } from '../playbook/duration.js';

/** A command run on the machine running firedrill. */
export const hostActionSchema = z.strictObject({
  kind: z.literal('host'),
  command,
  timeout: duration({ min: 10, max: 3_600_000 }).default(60_000),
  expect: commandExpectation,
});
export type HostActionSpec = z.output<typeof hostActionSchema>;
