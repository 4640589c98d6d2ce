import { table } from './markdown-text.js';
import { capitalised, code, inline, quoted } from '../words/markdown-text.js';
import { count } from '../words/number-words.js';
import type { DrillModel, NotificationModel } from './model-types.js';
import { firstAppliedFault, objectiveResult, stepNumber } from './report-words.js';
import { formatMeasured, formatOffset, formatTarget } from '../words/time-format.js';
import { FIRST_CONTACT_OBJECTIVE } from '../run/objectives.js';

/**
 * "Customer updates": the status updates the drill posted, as posted, and the time from the
 * first fault to the first one delivered. null when the playbook posts none (no notify step),
 * so reports of drills without them stay as they were.
 */
export function renderCustomerUpdates(model: DrillModel, opts: { showTargets: boolean }): string | null {
  if (!sendsUpdates(model)) return null;
  const parts: string[] = [];
  if (model.notifications.length === 0) {
    parts.push('No customer update was sent.');
  } else {
    // Where updates went (a webhook's URL, a file's path) is internal: customers see that they went.
    const header = ['When', 'Step', 'Status', 'Update', ...(opts.showTargets ? ['Sent to'] : []), 'Result'];
    parts.push(
      table(
        header,
        model.notifications.map((n) => row(n, opts.showTargets)),
      ),
    );
  }
  parts.push(`${firstContactText(model)} ${objectiveText(model)}`);
  if (model.notifications.length > 0) {
    parts.push(
      'Times are when each update was delivered (for a webhook, when it answered) or given up on, since the drill started; durations are rounded up.',
    );
  }
  return parts.join('\n\n');
}

function row(n: NotificationModel, showTarget: boolean): string[] {
  return [
    formatOffset(n.atMs),
    stepNumber(n),
    capitalised(n.status),
    quoted(n.message),
    ...(showTarget ? [`${n.channel} ${code(n.target)}`] : []),
    resultText(n),
  ];
}

function resultText(n: NotificationModel): string {
  const how = [
    ...(n.httpStatus !== null ? [`HTTP ${n.httpStatus}`] : []),
    ...(n.attempts > 1 ? [count(n.attempts, 'attempt')] : []),
    `took ${formatMeasured(n.latencyMs)}`,
  ].join(', ');
  if (n.ok) return `✔ delivered (${how})`;
  return `✘ **not delivered**: ${inline(n.error ?? 'no reason recorded')} (${how})`;
}

function firstContactText(model: DrillModel): string {
  const contact = model.firstContact;
  if (!contact)
    return `**Time to first contact: not measured** — ${inline(firstContactNote(model) ?? 'no customer update was delivered after a fault')}.`;
  const appliedAtMs = contact.atMs - contact.afterMs;
  return (
    `**Time to first contact: ${formatMeasured(contact.afterMs)}**, from fault ${code(contact.fromFaultRef)} being applied ` +
    `(at ${formatOffset(appliedAtMs)}) to the first customer update delivered (at ${formatOffset(contact.atMs)}).`
  );
}

function objectiveText(model: DrillModel): string {
  const objective = model.objectives.find((o) => o.scope === 'drill' && o.name === FIRST_CONTACT_OBJECTIVE);
  if (!objective) return 'The playbook sets no objective for it (`objectives.firstContact`).';
  const result = objectiveResult(objective);
  const mark = result.met === true ? '✔ ' : result.met === false ? '✘ ' : '';
  return `Objective: within ${formatTarget(objective.targetMs)} — ${mark}${inline(result.text)}.`;
}

/** Why a drill has no time to first contact; null when it has one. */
export function firstContactNote(model: DrillModel): string | null {
  if (model.firstContact) return null;
  if (!sendsUpdates(model)) return 'the playbook sends no customer update';
  if (!firstAppliedFault(model)) return 'no fault was applied, so there is nothing to measure from';
  if (model.notifications.length === 0) {
    return model.finished
      ? 'no customer update was sent: the steps that send them did not run'
      : 'the journal ends before a customer update was sent';
  }
  if (!model.notifications.some((n) => n.ok)) return 'no customer update was delivered';
  return 'no customer update was delivered after the first fault was applied';
}

/** A notify step in the playbook, or an update in the journal (from a step the outline did not list). */
function sendsUpdates(model: DrillModel): boolean {
  return model.notifications.length > 0 || [...model.steps, ...model.restore].some((step) => step.action === 'notify');
}
