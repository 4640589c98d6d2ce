import type { z } from 'zod';
import { InternalError } from '../errors.js';
import { execProbe } from './exec.js';
import { namedProbeText } from './expectation-words.js';
import { healthProbe } from './health.js';
import { hostProbe } from './host.js';
import { httpProbe } from './http.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { tcpProbe } from './tcp.js';

/**
 * Every probe kind. spec-schema.ts builds the union of probes from this list, in this order
 * (the order the JSON Schema lists them in): adding a kind is its file and one line here.
 */
export const probeRegistry = [httpProbe, tcpProbe, execProbe, healthProbe, hostProbe] as const;

/**
 * The spec of any registered probe: the same type as ProbeSpec, which spec-schema.ts builds from
 * this list (and cannot be imported here without a cycle).
 */
type RegisteredProbeSpec = z.output<(typeof probeRegistry)[number]['schema']>;

const probesByKind: ReadonlyMap<string, Probe<RegisteredProbeSpec>> = new Map(
  // The map forgets which spec each probe takes; a spec's own kind finds the probe made for it.
  probeRegistry.map((probe) => [probe.kind, probe]),
);

function probeFor(spec: RegisteredProbeSpec): Probe<RegisteredProbeSpec> {
  const probe = probesByKind.get(spec.kind);
  if (!probe) throw new InternalError(`no probe is registered for kind "${String(spec.kind)}"; add it to src/probes/registry.ts`);
  return probe;
}

/** Observes once. Failed observations resolve with ok: false; see Probe.run. */
export async function runProbe(spec: RegisteredProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  return probeFor(spec).run(spec, ctx);
}

/**
 * One line for what a probe checks, every expectation included; a name the playbook gives it
 * comes first, since a name alone would hide from a reviewer what the probe waits for.
 */
export function describeProbe(spec: RegisteredProbeSpec): string {
  const generated = probeFor(spec).describe(spec);
  return spec.name === undefined ? generated : namedProbeText(spec.name, generated);
}
