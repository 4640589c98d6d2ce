import { identifier } from '../playbook/common.js';
import { duration } from '../playbook/duration.js';

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
 * The mark carried by everything a fault creates inside a target (iptables rule comments,
 * files, qdisc handles are chosen separately): reverts remove only what carries it.
 * One drill per project at a time, and no new drill while a run's faults remain, so a
 * fault's ref is unique among the marks that can exist on a project's containers.
 */
export function faultMark(ref: string): string {
  return `firedrill:${ref}`;
}
