import { z } from 'zod';
import { schemasOf } from '../spec/kind-union.js';
import { actionRegistry } from './registry.js';
import { revertActionSchema } from './revert.js';

/**
 * Every action a `run` step may take, told apart by `kind`: the registered actions in the
 * registry's order (start and restart share one schema), then revert.
 */
export const actionSpecSchema = z.discriminatedUnion('kind', [...schemasOf(actionRegistry), revertActionSchema]);
export type ActionSpec = z.output<typeof actionSpecSchema>;
