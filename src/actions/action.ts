import type { z } from 'zod';
import type { ContainerExec, ContainerLifecycle } from '../engine/ports.js';
import type { Topology } from '../topology/topology.js';

export interface ActionResult {
  ok: boolean;
  /** Short and human: "exit 0", "started 1 container". */
  summary: string;
  /** Captured output, trimmed, for the journal. */
  output?: string;
}

export interface ActionContext {
  engine: ContainerExec & ContainerLifecycle;
  topology: Topology;
  signal: AbortSignal;
}

/**
 * A recovery or restore action run by a `run` step. Reverting a fault early is not an
 * action: the runner handles it, because it owns the rollback ledger. A kind names its schema's
 * own type (`Action<Spec, typeof specSchema>`): the union of actions is built from the registry
 * and keeps it (with the default, spec-schema.ts does not compile: the union cannot see the
 * schema's `kind`).
 */
// biome-ignore lint/suspicious/noExplicitAny: a spec's input type differs from its output (defaults, transforms); the default only fixes the output
export interface Action<Spec extends { kind: string }, Schema extends z.ZodType<Spec, any> = z.ZodType<Spec, any>> {
  readonly kind: Spec['kind'];
  readonly schema: Schema;
  describe(spec: Spec): string;
  run(spec: Spec, ctx: ActionContext): Promise<ActionResult>;
}
