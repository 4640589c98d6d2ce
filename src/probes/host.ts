import { z } from 'zod';
import { command, commandExpectation } from '../playbook/common.js';
import { duration } from '../playbook/duration.js';

/** A command run on the machine running firedrill (through execa, no shell unless asked). */
export const hostProbeSchema = z.strictObject({
  kind: z.literal('host'),
  name: z.string().optional(),
  command,
  timeout: duration({ min: 10, max: 300_000 }).default(10_000),
  expect: commandExpectation,
});
export type HostProbeSpec = z.output<typeof hostProbeSchema>;
