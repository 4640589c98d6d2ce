import { z } from 'zod';
import { schemasOf } from '../spec/kind-union.js';
import { probeRegistry } from './registry.js';

/** Every probe a playbook may use, told apart by `kind`: one per registered probe, in the registry's order. */
export const probeSpecSchema = z.discriminatedUnion('kind', schemasOf(probeRegistry));
export type ProbeSpec = z.output<typeof probeSpecSchema>;
