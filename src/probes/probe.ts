import type { z } from 'zod';
import type { ContainerExec, ContainerLifecycle } from '../engine/ports.js';
import type { Topology } from '../topology/topology.js';
import type { Clock } from '../clock.js';

/** One observation. A failed observation is data (ok: false), never an exception. */
export interface ProbeResult {
  ok: boolean;
  /** Short and human: "HTTP 200 in 12ms", "connection refused", "exit 1: NOAUTH". */
  summary: string;
  /** How long the observation took. */
  latencyMs: number;
  /** Facts behind the verdict (status code, exit code, matched text) for the journal. */
  observed?: Record<string, unknown>;
}

export interface ProbeContext {
  engine: ContainerExec & Pick<ContainerLifecycle, 'inspectState'>;
  topology: Topology;
  signal: AbortSignal;
  /** The drill's clock: latencies are measured on it, so a fake clock decides them in tests. */
  clock: Clock;
}

/**
 * One kind of probe: one file exporting a value of this shape plus one line in registry.ts. A
 * kind names its schema's own type (`Probe<Spec, typeof specSchema>`): the union of probes is
 * built from the registry and keeps it (with the default, spec-schema.ts does not compile: the
 * union cannot see the schema's `kind`).
 */
// biome-ignore lint/suspicious/noExplicitAny: a spec's input type differs from its output (defaults, transforms); the default only fixes the output
export interface Probe<Spec extends { kind: string }, Schema extends z.ZodType<Spec, any> = z.ZodType<Spec, any>> {
  readonly kind: Spec['kind'];
  readonly schema: Schema;
  /** One line for people: "GET http://127.0.0.1:8080/health → 200". */
  describe(spec: Spec): string;
  /** Observes once. Resolves with ok: false for any failed observation, including timeouts. */
  run(spec: Spec, ctx: ProbeContext): Promise<ProbeResult>;
}
