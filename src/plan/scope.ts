import type { ContainerInfo } from '../engine/ports.js';
import { ScopeError } from '../errors.js';
import type { FaultRecord } from '../faults/fault.js';
import type { Playbook, Step } from '../playbook/schema.js';
import type { Topology } from '../topology/topology.js';

/**
 * What a drill may touch, beyond "only the playbook's compose project":
 * - allow-lists of project names (globs), from the environment and/or a config file: a project
 *   must match every list that is set; no list set means any project;
 * - a protection label on containers: a protected container is never a target, and a project
 *   whose containers are all protected is refused outright.
 * Both are checked while planning, before anything is touched.
 */

export const PROTECTED_LABEL = 'firedrill.protected';

/** A list of allowed project-name globs and where it came from, for messages. */
export interface ProjectAllowList {
  patterns: string[];
  /** e.g. "FIREDRILL_ALLOWED_PROJECTS" or "firedrill.config.yaml". */
  source: string;
}

/** `*` matches any run of characters (also none), `?` exactly one; everything else is literal. */
export function globMatches(pattern: string, name: string): boolean {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's').test(name);
}

export function refuseProjectOutsideAllowLists(project: string, lists: ProjectAllowList[]): void {
  const refusing = lists.filter((list) => !list.patterns.some((pattern) => globMatches(pattern, project)));
  if (refusing.length === 0) return;
  const why = refusing
    .map((list) => `${list.source} allows ${list.patterns.length === 0 ? 'no project' : list.patterns.join(', ')}`)
    .join('; ');
  throw new ScopeError(
    `compose project ${project} is outside the allowed projects (${why}) — nothing was touched. ` +
      'Point the playbook at an allowed project, or add this one to the list if drills against it are intended.',
  );
}

/** `firedrill.protected` set to true, yes or 1 (any case). "false" or an empty value protects nothing. */
export function isProtected(labels: Record<string, string>): boolean {
  const value = labels[PROTECTED_LABEL]?.trim().toLowerCase();
  return value === 'true' || value === 'yes' || value === '1';
}

/**
 * Refuses a plan that would touch a protected container: a fault's pinned targets, and the
 * containers a `run` step acts on (exec, start, restart). Probes only observe and may read
 * from protected containers. Every offending container is named, not just the first.
 */
export function refuseProtectedTargets(topology: Topology, playbook: Playbook, faults: FaultRecord[]): void {
  const all = topology.services.flatMap((service) => service.containers);
  if (all.length > 0 && all.every((c) => isProtected(c.labels))) {
    throw new ScopeError(
      `compose project ${topology.project} is protected: every one of its containers carries ${PROTECTED_LABEL}=true — ` +
        `firedrill touches nothing in it. Remove the label from the containers a drill may act on.`,
    );
  }
  const byId = new Map(all.map((c) => [c.id, c]));
  const problems: string[] = [];
  for (const record of faults) {
    for (const target of record.targets) {
      const container = byId.get(target.containerId);
      if (container && isProtected(container.labels)) problems.push(`fault "${record.ref}" (${record.kind}) targets ${named(container)}`);
    }
  }
  const steps: [string, Step[]][] = [
    ['step', playbook.steps],
    ['restore step', playbook.restore ?? []],
  ];
  for (const [section, list] of steps) {
    for (const step of list) {
      const service = actedOnService(step);
      if (service === undefined) continue;
      const containers = topology.services.find((s) => s.name === service)?.containers ?? [];
      for (const container of containers.filter((c) => isProtected(c.labels))) {
        problems.push(`${section} "${step.name}" (${step.run?.kind}) acts on ${named(container)}`);
      }
    }
  }
  if (problems.length === 0) return;
  throw new ScopeError(
    `the drill would touch protected containers (${PROTECTED_LABEL}=true), which firedrill never does — nothing was touched:\n` +
      problems.map((problem) => `  ${problem}`).join('\n') +
      '\nTarget other services, or remove the label from containers a drill may act on.',
  );
}

/** The service a `run` step acts on: any action that names one (exec, start, restart …). */
function actedOnService(step: Step): string | undefined {
  const run = step.run as { service?: unknown } | undefined;
  return typeof run?.service === 'string' ? run.service : undefined;
}

function named(container: ContainerInfo): string {
  return `container ${container.name} (service ${container.service})`;
}
