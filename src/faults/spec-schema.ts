import { z } from 'zod';
import { schemasOf } from '../spec/kind-union.js';
import { faultRegistry } from './registry.js';

/** Every fault a playbook may inject, told apart by `kind`: one per registered fault, in the registry's order. */
export const faultSpecSchema = z.discriminatedUnion('kind', schemasOf(faultRegistry));
export type FaultSpec = z.output<typeof faultSpecSchema>;
