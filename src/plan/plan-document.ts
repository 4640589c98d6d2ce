import type { StepAction } from '../playbook/schema.js';
import { describeProbe } from '../probes/registry.js';
import type { ProbeSpec } from '../probes/spec-schema.js';
import { breachRuleText } from '../words/breach-rule-text.js';
import { breachRules } from './breach-rules.js';
import { planHash, resolvedFaults, type ResolvedFault } from './plan-hash.js';
import type { DrillPlan } from './plan.js';
import { outlineSteps } from './step-outline.js';

/**
 * What `firedrill plan` shows, as data (the terminal text and `--json` both render this):
 * every step in order with, for inject steps, the pinned targets and each planned action with
 * its revert; the rollback in the order it would run (newest fault first); the restore steps;
 * and the plan hash.
 */
export interface PlanDocument {
  planHash: string;
  playbook: { name: string; title: string; file: string; sha256: string };
  project: string;
  endpoint: string;
  timeLimitMs: number;
  rollback: 'always' | 'never';
  steadyState: { probes: string[]; withinMs: number } | null;
  /** Probes watched while the drill runs; a breach aborts it. */
  stopConditions: PlanStopCondition[];
  steps: PlanStep[];
  /** Newest fault first, as the rollback reverts them. Empty with `rollback: never`. */
  rollbackOrder: RollbackEntry[];
  restore: PlanStep[];
}

export interface PlanStep {
  index: number;
  name: string;
  action: StepAction;
  describe: string;
  fault?: ResolvedFault;
  /** An inject step's maxDuration: the fault is reverted this long after it was applied. */
  maxDurationMs?: number;
}

export interface PlanStopCondition {
  name: string;
  probe: string;
  everyMs: number;
  from: 'first-fault' | 'start';
  /** When it breaches, in words: "any check fails", "it fails for 2s without a break", … */
  breachesWhen: string;
}

export interface RollbackEntry {
  step: number;
  ref: string;
  kind: string;
  /** The revert of each planned action; null where an action cannot be undone. */
  reverts: (string | null)[];
}

export function describePlan(plan: DrillPlan): PlanDocument {
  const { playbook } = plan.input;
  const faults = resolvedFaults(plan);
  const faultAt = new Map(faults.map((fault) => [fault.step, fault]));
  const steps = outlineSteps(playbook.steps).map((outline): PlanStep => {
    const fault = faultAt.get(outline.index);
    const maxDurationMs = playbook.steps[outline.index]?.inject?.maxDuration;
    return {
      index: outline.index,
      name: outline.name,
      action: outline.action,
      describe: outline.describe,
      ...(fault ? { fault } : {}),
      ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
    };
  });
  const restore = outlineSteps(playbook.restore ?? []).map(
    (outline): PlanStep => ({ index: outline.index, name: outline.name, action: outline.action, describe: outline.describe }),
  );
  const rollbackOrder =
    playbook.rollback === 'never'
      ? []
      : [...faults].reverse().map((fault) => ({
          step: fault.step,
          ref: fault.ref,
          kind: fault.kind,
          reverts: fault.actions.map((action) => action.revert ?? null),
        }));
  return {
    planHash: planHash(plan, faults),
    playbook: { name: playbook.name, title: playbook.title, file: plan.input.file, sha256: plan.input.sha256 },
    project: plan.topology.project,
    endpoint: plan.topology.endpoint,
    timeLimitMs: playbook.timeLimit,
    rollback: playbook.rollback,
    steadyState: playbook.steadyState
      ? { probes: playbook.steadyState.probes.map((probe: ProbeSpec) => describeProbe(probe)), withinMs: playbook.steadyState.within }
      : null,
    stopConditions: (playbook.stopConditions ?? []).map((condition) => ({
      name: condition.name,
      probe: describeProbe(condition.probe),
      everyMs: condition.every,
      from: condition.from,
      breachesWhen: breachRuleText(breachRules(condition)),
    })),
    steps,
    rollbackOrder,
    restore,
  };
}
