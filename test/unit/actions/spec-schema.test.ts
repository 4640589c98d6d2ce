import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { actionRegistry, describeAction, runAction } from '../../../src/actions/registry.js';
import type { RevertActionSpec, revertActionSchema } from '../../../src/actions/revert.js';
import type { ServiceLifecycleActionSpec } from '../../../src/actions/service-lifecycle.js';
import type { ActionSpec, actionSpecSchema } from '../../../src/actions/spec-schema.js';

type Registered = (typeof actionRegistry)[number];
type Flat<T> = { [K in keyof T]: T[K] };
/** The members of the union whose kind may be K, as `spec.kind === K` narrows (start and restart are one member). */
type NarrowedTo<K extends string, Spec = ActionSpec> = Spec extends { kind: infer Kinds } ? (K extends Kinds ? Spec : never) : never;

// Checked by the type checker (npm run typecheck), not when the test runs: the union is built
// from the registry (start and restart share a schema) and revert, and must keep every spec.
describe('the action spec union, built from the registry', () => {
  it('narrows by kind to each registered kind’s own spec, or to revert, and holds no other kind', () => {
    expectTypeOf<{ [Kind in ActionSpec['kind']]: NarrowedTo<Kind> }>().toEqualTypeOf<
      Flat<{ [Action in Registered as Action['kind']]: z.output<Action['schema']> } & { revert: RevertActionSpec }>
    >();
    const narrowed = (spec: ActionSpec) => (spec.kind === 'restart' ? spec : undefined);
    expectTypeOf(narrowed).returns.toEqualTypeOf<ServiceLifecycleActionSpec | undefined>();
  });

  it('keeps each kind’s input type, and the registry takes exactly the specs the union gives', () => {
    expectTypeOf<z.input<typeof actionSpecSchema>>().toEqualTypeOf<z.input<Registered['schema'] | typeof revertActionSchema>>();
    expectTypeOf<z.input<typeof actionSpecSchema>>().not.toBeAny();
    expectTypeOf<Parameters<typeof runAction>[0]>().toEqualTypeOf<ActionSpec>();
    expectTypeOf<Parameters<typeof describeAction>[0]>().toEqualTypeOf<ActionSpec>();
  });
});
