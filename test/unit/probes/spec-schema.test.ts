import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { HttpProbeSpec } from '../../../src/probes/http.js';
import type { describeProbe, probeRegistry, runProbe } from '../../../src/probes/registry.js';
import type { ProbeSpec, probeSpecSchema } from '../../../src/probes/spec-schema.js';

type Registered = (typeof probeRegistry)[number];

// Checked by the type checker (npm run typecheck), not when the test runs: the union is built
// from the registry, and must keep every kind's own spec, as parsed and as written.
describe('the probe spec union, built from the registry', () => {
  it('narrows by kind to each registered kind’s own spec, and holds no other kind', () => {
    expectTypeOf<{ [Kind in ProbeSpec['kind']]: Extract<ProbeSpec, { kind: Kind }> }>().toEqualTypeOf<{
      [Probe in Registered as Probe['kind']]: z.output<Probe['schema']>;
    }>();
    const narrowed = (spec: ProbeSpec) => (spec.kind === 'http' ? spec : undefined);
    expectTypeOf(narrowed).returns.toEqualTypeOf<HttpProbeSpec | undefined>();
  });

  it('keeps each kind’s input type, and the registry takes exactly the specs the union gives', () => {
    expectTypeOf<z.input<typeof probeSpecSchema>>().toEqualTypeOf<z.input<Registered['schema']>>();
    expectTypeOf<z.input<typeof probeSpecSchema>>().not.toBeAny();
    expectTypeOf<Parameters<typeof runProbe>[0]>().toEqualTypeOf<ProbeSpec>();
    expectTypeOf<Parameters<typeof describeProbe>[0]>().toEqualTypeOf<ProbeSpec>();
  });
});
