import type { z } from 'zod';
import type {
  AttachedNetwork,
  ContainerExec,
  ContainerLifecycle,
  ContainerResources,
  HelperContainers,
  NetworkControl,
} from '../engine/ports.js';
import type { Topology } from '../topology/topology.js';
import type { RevertDifference } from './mechanisms/revert-differences.js';

/** A container a fault acts on, pinned by id when the fault is planned. */
export interface FaultTarget {
  containerId: string;
  name: string;
  service: string;
  /** Networks and aliases before injection, for faults that disconnect. */
  networks?: AttachedNetwork[];
  /**
   * What preflight observed about this target that revert needs (plain JSON), e.g. the CPU
   * and memory limits before the fault. Recorded before injection, like everything here.
   */
  before?: Record<string, unknown>;
}

/**
 * Everything needed to revert a fault, from this process or another one after a crash.
 * It is written to the journal before the fault is applied, so it must be plain JSON.
 */
export interface FaultRecord<Spec = unknown> {
  /** The playbook's id for the fault, or "step-<n>" when it has none. */
  ref: string;
  kind: string;
  revertible: boolean;
  spec: Spec;
  targets: FaultTarget[];
  /**
   * The image helper containers run from, for faults that use them: its id on the engine
   * ("sha256:…"), pinned at plan time, so that inject, revert and a later recover run the very
   * same image even if its tag is rebuilt meanwhile.
   */
  helperImage?: string;
  /** The name that image was chosen by (playbook or FIREDRILL_HELPER_IMAGE), for people. */
  helperImageName?: string;
  /**
   * What preflight tells people about how it went that is no action and no error (e.g. that it
   * read the targets one helper each, since the engine would not run the namespace inspector).
   * Shown by the plan, left out of the plan hash.
   */
  notes?: string[];
}

export interface PlannedAction {
  /** What will be done, e.g. "kill container demo-app-a-1 (app-a) with SIGKILL". */
  apply: string;
  /** How it will be undone, or undefined when it cannot be. */
  revert?: string;
  /**
   * What preflight measured that the action depends on (free bytes, live PIDs), for people.
   * Shown by `plan`, left out of the plan hash: it changes whenever the target does anything.
   */
  measured?: string;
}

export interface RevertResult {
  /** True only when the revert was checked by observing the containers again. */
  verified: boolean;
  /** What was done, in words, for the journal. */
  done: string[];
  /** What could not be done or confirmed. Empty when verified. */
  problems: string[];
  /** Commands a person can run to finish the job when verification failed. */
  manual: string[];
  /**
   * What the revert could not give back as it was, as observed after it (an address another
   * container took meanwhile, an interface name the engine cannot be asked for), as facts
   * (revert-differences.ts). The fault itself is undone when `verified`; the containers are not
   * exactly as before. Absent when everything observed is as recorded.
   */
  differences?: RevertDifference[];
}

export type FaultEngine = ContainerLifecycle & NetworkControl & ContainerExec & HelperContainers & ContainerResources;

export interface FaultContext {
  engine: FaultEngine;
  signal: AbortSignal;
  /** The compose project of the drill, for messages that name a command to run on it. */
  project?: string;
}

/**
 * One kind of fault. Adding a fault is adding one file that exports a value of this shape
 * and one line in registry.ts. A kind names its schema's own type (`Fault<Spec, typeof
 * specSchema>`): the playbook's union of faults is built from the registry and keeps it (with
 * the default, spec-schema.ts does not compile: the union cannot see the schema's `kind`).
 */
// biome-ignore lint/suspicious/noExplicitAny: a spec's input type differs from its output (defaults, transforms); the default only fixes the output
export interface Fault<Spec extends { kind: string }, Schema extends z.ZodType<Spec, any> = z.ZodType<Spec, any>> {
  readonly kind: Spec['kind'];
  readonly schema: Schema;
  readonly revertible: boolean;
  /**
   * True when the fault works through helper containers (iptables, tc, pkill beside the
   * target). Planning then pins the helper image in the record and checks it is on the engine.
   */
  readonly usesHelper?: boolean | ((spec: Spec) => boolean);
  /** One line for people: "kill every container of region a". */
  describe(spec: Spec): string;
  /** Pins the containers the fault will touch. Throws ScopeError when there are none. */
  targets(spec: Spec, topology: Topology): FaultTarget[];
  /**
   * Checks, at plan time, what only the engine can tell (a kernel feature, a tool or a path in
   * the target, the size of a disk). Throws ScopeError or EnvironmentError with what to do.
   * It may read and may run throw-away helpers, but changes nothing a drill could leave behind.
   * May return the record with facts it measured (e.g. bytes to write) for inject to use.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a preflight that changes nothing returns nothing
  preflight?(record: FaultRecord<Spec>, ctx: FaultContext): Promise<FaultRecord<Spec> | void>;
  /** Describes exactly what inject and revert will do; touches nothing. */
  plan(record: FaultRecord<Spec>): PlannedAction[];
  /** Applies the fault. On a partial failure it throws; revert must still work after that. */
  inject(record: FaultRecord<Spec>, ctx: FaultContext): Promise<void>;
  /** Idempotent: may run after a partial inject, twice, or in another process after a crash. */
  revert(record: FaultRecord<Spec>, ctx: FaultContext): Promise<RevertResult>;
}

/** Whether a fault with this spec runs helper containers (planning then pins the helper image). */
export function usesHelperFor<Spec extends { kind: string }>(fault: Fault<Spec>, spec: Spec): boolean {
  return typeof fault.usesHelper === 'function' ? fault.usesHelper(spec) : fault.usesHelper === true;
}
