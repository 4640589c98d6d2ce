import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { schemasOf } from '../../../src/spec/kind-union.js';

const comet = z.strictObject({ kind: z.literal('comet'), tail: z.number() });
const flare = z.strictObject({ kind: z.enum(['flare', 'storm']), strength: z.string() });
const eclipse = z.strictObject({ kind: z.literal('eclipse') });
// Four entries, two of which share a schema, as two actions of one schema do.
const registry = [{ schema: flare }, { schema: comet }, { schema: flare }, { schema: eclipse }] as const;

describe('schemasOf', () => {
  it('lists each schema of a registry once, in the order it first appears', () => {
    const schemas = schemasOf(registry);
    expect(schemas).toHaveLength(3);
    [flare, comet, eclipse].forEach((schema, i) => expect(schemas[i]).toBe(schema));
    expectTypeOf(schemas).toEqualTypeOf<[typeof flare, typeof comet, typeof eclipse]>();
  });

  it('builds a union that tells every kind apart, and whose type narrows by kind', () => {
    const union = z.discriminatedUnion('kind', schemasOf(registry));
    expect(union.parse({ kind: 'storm', strength: 'X9' })).toEqual({ kind: 'storm', strength: 'X9' });
    expect(union.parse({ kind: 'comet', tail: 3 })).toEqual({ kind: 'comet', tail: 3 });
    expect(union.safeParse({ kind: 'meteor' }).success).toBe(false);
    expectTypeOf<Extract<z.output<typeof union>, { kind: 'comet' }>>().toEqualTypeOf<{ kind: 'comet'; tail: number }>();
  });

  it('gives an empty list for an empty registry', () => {
    expect(schemasOf([])).toEqual([]);
  });
});
