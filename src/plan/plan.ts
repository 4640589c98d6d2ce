import type { Engine } from '../engine/ports.js';
import { DOCTOR_POINTER, EnvironmentError } from '../errors.js';
import { usesHelperFor, type FaultRecord } from '../faults/fault.js';
import { defaultFaultRef } from '../faults/fault-common.js';
import { getFault } from '../faults/registry.js';
import type { Playbook } from '../playbook/schema.js';
import { discoverTopology } from '../topology/discover.js';
import type { Topology } from '../topology/topology.js';
import { refuseProjectOutsideAllowLists, refuseProtectedTargets, type ProjectAllowList } from './scope.js';

/** The playbook facts a drill needs, as loaded and validated. */
export interface DrillInput {
  playbook: Playbook;
  /** The playbook file as the user named it. */
  file: string;
  sha256: string;
  /** Compose project name, explicit or derived from the compose file. */
  project: string;
}

/** The helper image when neither the playbook nor FIREDRILL_HELPER_IMAGE names one. */
export const DEFAULT_HELPER_IMAGE = 'firedrill-base:bookworm';

export interface PlanOptions {
  /** FIREDRILL_HELPER_IMAGE, which overrides the playbook's topology.helperImage. */
  helperImageOverride?: string;
  /** FIREDRILL_ALLOWED_PROJECTS and the config file's allowedProjects: the project must match each. */
  allowedProjects?: ProjectAllowList[];
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
 * missing) or ScopeError (a fault with no target, a project not allowed, a protected container)
 * before a single container is touched.
 */
export async function planDrill(input: DrillInput, engine: Engine, opts: PlanOptions = {}): Promise<DrillPlan> {
  refuseProjectOutsideAllowLists(input.project, opts.allowedProjects ?? []);
  await engine.ping();
  const { topology: spec } = input.playbook;
  const topology = await discoverTopology(engine, {
    project: input.project,
    regionLabel: spec.regionLabel,
    ...(spec.regions ? { regions: spec.regions } : {}),
  });
  const helperImage = opts.helperImageOverride ?? spec.helperImage ?? DEFAULT_HELPER_IMAGE;
  const faults = new Map<number, FaultRecord>();
  input.playbook.steps.forEach((step, index) => {
    if (!step.inject) return;
    const fault = getFault(step.inject.kind);
    faults.set(index, {
      ref: step.inject.id ?? defaultFaultRef(index),
      kind: step.inject.kind,
      revertible: fault.revertible,
      spec: step.inject,
      targets: fault.targets(step.inject, topology),
      ...(usesHelperFor(fault, step.inject) ? { helperImage } : {}),
    });
  });
  // Before preflights: they may run helpers beside the targets.
  refuseProtectedTargets(topology, input.playbook, [...faults.values()]);
  const helperImageId = await checkHelperImage(engine, [...faults.values()], helperImage);
  // Pinned by id: a tag rebuilt before a recover (another iptables backend, say) must not change what reverts run.
  for (const [index, record] of faults) {
    if (record.helperImage !== undefined && helperImageId !== undefined)
      faults.set(index, { ...record, helperImage: helperImageId, helperImageName: helperImage });
  }
  // Fault after fault, so that the error a person sees follows the playbook; each fault's
  // preflight works on its targets a few at a time (faults/target-pool.ts).
  for (const [index, record] of faults) {
    const timeoutMs = PREFLIGHT_TIMEOUT_MS + record.targets.length * PREFLIGHT_PER_TARGET_MS;
    const checked = await getFault(record.kind).preflight?.(record, {
      engine,
      signal: AbortSignal.timeout(timeoutMs),
      project: input.project,
    });
    if (checked) faults.set(index, checked);
  }
  return { input, topology, faults };
}

/**
 * One fault's plan-time checks get this long, and this much more per target: they are
 * inspections and one-second helpers, and an engine may start helpers one at a time however
 * many are asked for at once (Engine 20.10 here: about 0.35 s each, in parallel or not).
 */
const PREFLIGHT_TIMEOUT_MS = 60_000;
const PREFLIGHT_PER_TARGET_MS = 2_000;

/** The helper image's id, or undefined when no fault uses helpers. */
async function checkHelperImage(engine: Engine, records: FaultRecord[], image: string): Promise<string | undefined> {
  const users = records.filter((record) => record.helperImage !== undefined);
  if (users.length === 0) return undefined;
  const id = await engine.imageId(image);
  if (id !== undefined) return id;
  throw new EnvironmentError(
    `fault${users.length === 1 ? '' : 's'} ${users.map((r) => `"${r.ref}" (${r.kind})`).join(', ')} run helper containers from ` +
      `image ${image}, which is not on the engine at ${engine.endpoint} — build it ` +
      '(bash templates/demo/images/build-base-image.sh builds firedrill-base:bookworm) or name any image with ' +
      `iptables, iproute2 (tc) and procps (pkill) in topology.helperImage or FIREDRILL_HELPER_IMAGE ${DOCTOR_POINTER}`,
  );
}
