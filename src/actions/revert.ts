import { z } from 'zod';
import { identifier } from '../spec/common.js';

/**
 * Revert one injected fault before the drill ends. It is no registered action: the runner
 * carries it out, because it owns the rollback ledger.
 */
export const revertActionSchema = z.strictObject({
  kind: z.literal('revert'),
  fault: identifier,
});
export type RevertActionSpec = z.output<typeof revertActionSchema>;
