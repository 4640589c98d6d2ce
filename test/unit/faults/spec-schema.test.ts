import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { DiskFillSpec } from '../../../src/faults/disk-fill.js';
import type { faultRegistry } from '../../../src/faults/registry.js';
import type { FaultSpec, faultSpecSchema } from '../../../src/faults/spec-schema.js';

type Registered = (typeof faultRegistry)[number];

// Checked by the type checker (npm run typecheck), not when the test runs: the union is built
// from the registry, and must keep every kind's own spec, as parsed and as written.
describe('the fault spec union, built from the registry', () => {
  it('narrows by kind to each registered kind’s own spec, and holds no other kind', () => {
    expectTypeOf<{ [Kind in FaultSpec['kind']]: Extract<FaultSpec, { kind: Kind }> }>().toEqualTypeOf<{
      [Fault in Registered as Fault['kind']]: z.output<Fault['schema']>;
    }>();
    const narrowed = (spec: FaultSpec) => (spec.kind === 'disk-fill' ? spec : undefined);
    expectTypeOf(narrowed).returns.toEqualTypeOf<DiskFillSpec | undefined>();
  });

  it('keeps each kind’s input type, which playbooks written in code are checked against', () => {
    expectTypeOf<z.input<typeof faultSpecSchema>>().toEqualTypeOf<z.input<Registered['schema']>>();
    expectTypeOf<z.input<typeof faultSpecSchema>>().not.toBeAny();
  });
});
