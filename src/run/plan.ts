import type { Engine } from '../engine/ports.js';
import type { FaultRecord } from '../faults/fault.js';
import { getFault } from '../faults/registry.js';
import type { Playbook } from '../playbook/schema.js';
import { discoverTopology } from '../topology/discover.js';
import type { Topology } from '../topology/topology.js';

/** The playbook facts a drill needs, as loaded and validated. */
export interface DrillInput {
  playbook: Playbook;
  /** The playbook file as the user named it. */
  file: string;
  sha256: string;
  /** Compose project name, explicit or derived from the compose file. */
  project: string;
}

/** A drill ready to run: the topology snapshot and every fault's targets pinned by id. */
export interface DrillPlan {
  input: DrillInput;
  topology: Topology;
  /** Fault records by index of the inject step (section "steps"). */
  faults: Map<number, FaultRecord>;
}

/**
 * Resolves a playbook against the engine without changing anything: discovers the compose
 * project and pins each fault's targets. Throws EnvironmentError (Docker unreachable, project
 * missing) or ScopeError (a fault with no target) before a single container is touched.
 */
export async function planDrill(input: DrillInput, engine: Engine): Promise<DrillPlan> {
  await engine.ping();
  const { topology: spec } = input.playbook;
  const topology = await discoverTopology(engine, {
    project: input.project,
    regionLabel: spec.regionLabel,
    ...(spec.regions ? { regions: spec.regions } : {}),
  });
  const faults = new Map<number, FaultRecord>();
  input.playbook.steps.forEach((step, index) => {
    if (!step.inject) return;
    const fault = getFault(step.inject.kind);
    faults.set(index, {
      ref: step.inject.id ?? `step-${index + 1}`,
      kind: step.inject.kind,
      revertible: fault.revertible,
      spec: step.inject,
      targets: fault.targets(step.inject, topology),
    });
  });
  return { input, topology, faults };
}
