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
 * action: the runner handles it, because it owns the rollback ledger.
 */
export interface Action<Spec extends { kind: string }> {
  readonly kind: Spec['kind'];
  // biome-ignore lint/suspicious/noExplicitAny: a spec's input type differs from its output (defaults, transforms); only the output is used
  readonly schema: z.ZodType<Spec, any>;
  describe(spec: Spec): string;
  run(spec: Spec, ctx: ActionContext): Promise<ActionResult>;
}
