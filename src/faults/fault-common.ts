import { identifier } from '../spec/common.js';
import { duration } from '../spec/duration.js';

/**
 * Fields every fault kind takes, spread into each kind's schema:
 * - `id` names the fault for `wait.from` and `run: {kind: revert}`;
 * - `maxDuration` bounds how long the fault may stay applied: when it is up the fault is
 *   reverted, even if the steps are still running.
 */
export const faultCommonFields = {
  id: identifier.optional(),
  maxDuration: duration({ min: 100, max: 86_400_000 }).optional(),
};

/**
 * The ref of a fault whose inject step has no `id`: "step-<n>", n counted from 1. Playbook ids
 * of that form are refused at validation (playbook/references.ts), so refs are unique in a drill.
 */
export function defaultFaultRef(stepIndex: number): string {
  return `step-${stepIndex + 1}`;
}

/** Whether an id has the form of a default ref, and so could name a second fault. */
export function isDefaultFaultRef(id: string): boolean {
  return /^step-\d+$/.test(id);
}

/**
 * The mark carried by everything a fault creates inside a target (iptables rule comments,
 * files, qdisc handles are chosen separately): reverts remove only what carries it.
 * One drill per project at a time, no new drill while a run's faults remain, and refs unique
 * within a drill (ids are unique and never "step-<n>"), so a fault's ref is unique among the
 * marks that can exist on a project's containers.
 */
export function faultMark(ref: string): string {
  return `firedrill:${ref}`;
}
