import { z } from 'zod';
import { identifier } from '../spec/common.js';
import { execActionSchema } from './exec.js';
import { hostActionSchema } from './host.js';
import { serviceLifecycleActionSchema } from './service-lifecycle.js';

/** Revert one injected fault before the drill ends; the runner carries it out. */
export const revertActionSchema = z.strictObject({
  kind: z.literal('revert'),
  fault: identifier,
});
export type RevertActionSpec = z.output<typeof revertActionSchema>;

/** Every action a `run` step may take, told apart by `kind`. Keep in step with registry.ts. */
export const actionSpecSchema = z.discriminatedUnion('kind', [
  execActionSchema,
  hostActionSchema,
  serviceLifecycleActionSchema,
  revertActionSchema,
]);
export type ActionSpec = z.output<typeof actionSpecSchema>;
