import { InternalError } from '../errors.js';
import { execProbe } from './exec.js';
import { namedProbeText } from './expectation-words.js';
import { healthProbe } from './health.js';
import { hostProbe } from './host.js';
import { httpProbe } from './http.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import type { ProbeSpec } from './spec-schema.js';
import { tcpProbe } from './tcp.js';

type ProbeKind = ProbeSpec['kind'];
type ProbeSpecOf<K extends ProbeKind> = Extract<ProbeSpec, { kind: K }>;

/** Every probe kind and the probe that carries it out. Keep in step with spec-schema.ts. */
export const probeRegistry: { readonly [K in ProbeKind]: Probe<ProbeSpecOf<K>> } = {
  http: httpProbe,
  tcp: tcpProbe,
  exec: execProbe,
  health: healthProbe,
  host: hostProbe,
};

function probeFor(spec: ProbeSpec): Probe<ProbeSpec> {
  // The mapped type above pairs each kind with its own spec; TypeScript cannot follow that
  // correlation through a union, hence the cast.
  const probe = probeRegistry[spec.kind] as Probe<ProbeSpec> | undefined;
  if (!probe) throw new InternalError(`no probe is registered for kind "${String(spec.kind)}"; add it to src/probes/registry.ts`);
  return probe;
}

/** Observes once. Failed observations resolve with ok: false; see Probe.run. */
export async function runProbe(spec: ProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  return probeFor(spec).run(spec, ctx);
}

/**
 * One line for what a probe checks, every expectation included; a name the playbook gives it
 * comes first, since a name alone would hide from a reviewer what the probe waits for.
 */
export function describeProbe(spec: ProbeSpec): string {
  const generated = probeFor(spec).describe(spec);
  return spec.name === undefined ? generated : namedProbeText(spec.name, generated);
}
