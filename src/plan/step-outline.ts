import { describeAction } from '../actions/registry.js';
import { getFault } from '../faults/registry.js';
import { publicTarget } from '../notify/public-target.js';
import { formatDuration } from '../spec/duration.js';
import type { Step, StepAction } from '../playbook/schema.js';
import { describeProbe } from '../probes/registry.js';
import type { StepOutline } from '../journal/events.js';

export function stepAction(step: Step): StepAction {
  if (step.inject) return 'inject';
  if (step.wait) return 'wait';
  if (step.run) return 'run';
  if (step.manual) return 'manual';
  if (step.notify) return 'notify';
  return 'pause';
}

/** One line for people about what a step does, from its spec alone. */
export function describeStep(step: Step): string {
  if (step.inject) return getFault(step.inject.kind).describe(step.inject);
  if (step.wait) {
    const { probe, every, timeout, consecutive } = step.wait;
    const streak = consecutive > 1 ? `, ${consecutive} in a row` : '';
    return `wait until ${describeProbe(probe)} (every ${formatDuration(every)}${streak}, up to ${formatDuration(timeout)})`;
  }
  if (step.run) return step.run.kind === 'revert' ? `revert fault ${step.run.fault} early` : describeAction(step.run);
  if (step.manual) return `ask the operator: ${step.manual.prompt}`;
  if (step.notify) {
    // Journaled and shown in plans: the webhook's host and a fingerprint (its path and query hold tokens), never a header.
    const { status, webhook, file } = step.notify;
    return webhook !== undefined
      ? `post status update "${status}" to ${publicTarget(webhook)}`
      : `append status update "${status}" to ${file ?? ''}`;
  }
  return `pause for ${formatDuration(step.pause ?? 0)}`;
}

export function outlineSteps(steps: Step[]): StepOutline[] {
  return steps.map((step, index) => ({
    index,
    name: step.name,
    action: stepAction(step),
    describe: describeStep(step),
    ...(step.description ? { description: step.description } : {}),
    ...(step.wait?.rto !== undefined ? { rtoMs: step.wait.rto } : {}),
  }));
}
