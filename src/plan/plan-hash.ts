import { createHash } from 'node:crypto';
import type { PlannedAction } from '../faults/fault.js';
import { getFault } from '../faults/registry.js';
import type { DrillPlan } from './plan.js';

/**
 * The plan hash: a fingerprint of exactly what a drill would do, so that the person who
 * approved `firedrill plan`'s output can check that the run did that and nothing else
 * (`run --plan-hash`, the journal's drill.started, the report header).
 *
 * It covers the playbook's bytes (sha256), the compose project, and for every fault in step
 * order its ref, kind, helper image id, pinned container ids and planned actions (so a rebuilt
 * helper image changes it too). It is the same
 * on every invocation while nothing changes (discovery sorts everything; the JSON is
 * canonical), and differs once a target container is recreated (new id) or the playbook is
 * edited. Measurements a preflight records are left out (`before`, and each action's
 * `measured` text): they describe the moment, not the plan, and change whenever a target
 * writes a byte or starts a process. An action's `apply` and `revert` must therefore not
 * contain them either.
 */

/** One inject step's fault, resolved: what the plan shows and the hash covers. */
export interface ResolvedFault {
  /** Index of the inject step in the playbook's steps. */
  step: number;
  ref: string;
  kind: string;
  /** The helper image's id (covered by the hash) and the name it was chosen by (shown only). */
  helperImage?: string;
  helperImageName?: string;
  targets: { containerId: string; name: string; service: string }[];
  actions: PlannedAction[];
  /** What preflight told people about how it went (FaultRecord.notes); shown only, not hashed. */
  notes?: string[];
}

/** Bump when what the hash covers changes, so old and new hashes never match by accident. */
const PLAN_HASH_VERSION = 1;

export function resolvedFaults(plan: DrillPlan): ResolvedFault[] {
  return [...plan.faults.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, record]) => ({
      step,
      ref: record.ref,
      kind: record.kind,
      ...(record.helperImage !== undefined ? { helperImage: record.helperImage } : {}),
      ...(record.helperImageName !== undefined ? { helperImageName: record.helperImageName } : {}),
      targets: record.targets.map((t) => ({ containerId: t.containerId, name: t.name, service: t.service })),
      actions: getFault(record.kind).plan(record),
      ...(record.notes !== undefined && record.notes.length > 0 ? { notes: [...record.notes] } : {}),
    }));
}

/** Hex SHA-256 of the canonical JSON of what the plan would do. */
export function planHash(plan: DrillPlan, faults: ResolvedFault[] = resolvedFaults(plan)): string {
  const covered = {
    version: PLAN_HASH_VERSION,
    playbookSha256: plan.input.sha256,
    project: plan.input.project,
    faults: faults.map((fault) => ({
      step: fault.step,
      ref: fault.ref,
      kind: fault.kind,
      helperImage: fault.helperImage ?? null,
      targets: fault.targets.map((t) => t.containerId),
      // Not `measured`: see above.
      actions: fault.actions.map((action) => ({ apply: action.apply, revert: action.revert ?? null })),
    })),
  };
  return createHash('sha256').update(canonicalJson(covered)).digest('hex');
}

/**
 * JSON with object keys sorted (by code point) at every depth and no whitespace; array order is
 * kept, since the order of steps and actions is part of the plan. Undefined members are dropped.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** Accepts the hash as printed, with or without a "sha256:" prefix, in any case. */
export function sameHash(given: string, actual: string): boolean {
  return (
    given
      .trim()
      .toLowerCase()
      .replace(/^sha256:/, '') === actual
  );
}
