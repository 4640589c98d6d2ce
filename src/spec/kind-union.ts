import type { z } from 'zod';

/** A schema a union can tell apart by `kind`: an object schema whose `kind` is a literal or an enum. */
type KindSchema = z.core.$ZodTypeDiscriminable;

/** A registered kind (a fault, a probe, an action): anything that carries the schema of its spec. */
interface HasKindSchema {
  readonly schema: KindSchema;
}

/**
 * The schemas of a registry, in its order and each with its own type, a schema that several
 * entries share listed once (start and restart are two actions of one schema). The type keeps
 * the tuple, so that the union built from it keeps every kind's spec, input and output.
 */
export type SchemasOf<Kinds extends readonly HasKindSchema[], Seen = never> = Kinds extends readonly [
  infer First extends HasKindSchema,
  ...infer Rest extends readonly HasKindSchema[],
]
  ? [First['schema']] extends [Seen]
    ? SchemasOf<Rest, Seen>
    : [First['schema'], ...SchemasOf<Rest, Seen | First['schema']>]
  : [];

/**
 * The schemas of a registry's entries, for `z.discriminatedUnion('kind', …)`: that is how each
 * spec union is built from its registry, so adding a kind is one file and one registry line.
 */
export function schemasOf<const Kinds extends readonly HasKindSchema[]>(kinds: Kinds): SchemasOf<Kinds> {
  // Array methods forget a tuple's element types; SchemasOf says what this list holds.
  return [...new Set(kinds.map((kind) => kind.schema))] as SchemasOf<Kinds>;
}
