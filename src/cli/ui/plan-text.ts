import { escapeControl } from '../../words/input-text.js';
import type { PlanDocument, PlanStep } from '../../plan/plan-document.js';
import { formatTarget } from '../../words/time-format.js';
import { count } from '../../words/number-words.js';
import type { Paint } from '../../words/paint.js';

/**
 * `firedrill plan` in words, for the terminal and for the confirm prompt of `firedrill run`:
 * what every step would do, each fault's targets (by name and short id) and its planned
 * actions with their reverts, the rollback order, the restore steps, and the plan hash.
 * Lines joined by "\n", no newline at the end. Text from the playbook (names, a manual step's
 * prompt) is shown with its control characters escaped, so each line stays one line and nothing
 * reaches the terminal raw.
 */
export function renderPlanText(doc: PlanDocument, paint: Paint): string {
  const lines = [
    `${paint.strong(`Plan for drill ${escapeControl(doc.playbook.name)}`)}: ${escapeControl(doc.playbook.title)}`,
    `  playbook    ${escapeControl(doc.playbook.file)} (sha256 ${doc.playbook.sha256.slice(0, 12)})`,
    `  project     ${doc.project} on ${doc.endpoint}`,
    `  time limit  ${formatTarget(doc.timeLimitMs)}, then abort and roll back`,
  ];
  if (doc.steadyState) {
    lines.push(
      '',
      `Steady state (must hold before the first step, and again within ${formatTarget(doc.steadyState.withinMs)} after the rollback):`,
    );
    for (const probe of doc.steadyState.probes) lines.push(`  - ${probe}`);
  }
  if (doc.stopConditions.length > 0) {
    lines.push('', 'Stop conditions (a breach aborts the drill and rolls it back):');
    for (const c of doc.stopConditions) {
      const from = c.from === 'start' ? 'from the start of the steps' : 'from the first fault';
      lines.push(`  - "${escapeControl(c.name)}": ${c.probe}, every ${formatTarget(c.everyMs)} ${from}; breaches when ${c.breachesWhen}`);
    }
  }
  lines.push('', 'Steps:');
  for (const step of doc.steps) lines.push(...stepLines(step, paint));
  lines.push('', ...rollbackLines(doc));
  if (doc.restore.length > 0) {
    lines.push('', 'Restore steps (after the rollback, even after an abort):');
    for (const step of doc.restore) lines.push(...stepLines(step, paint));
  }
  lines.push('', `Plan hash: ${paint.strong(doc.planHash)}`);
  return lines.join('\n');
}

function stepLines(step: PlanStep, paint: Paint): string[] {
  const head = `  ${step.index + 1}. ${escapeControl(step.name)} — ${step.action}: ${escapeControl(step.describe)}`;
  if (!step.fault) return [head];
  const { fault } = step;
  const lines = [head, `       fault "${escapeControl(fault.ref)}" (${fault.kind}) on ${count(fault.targets.length, 'container')}:`];
  for (const target of fault.targets)
    lines.push(`         ${target.name} (service ${target.service}, id ${target.containerId.slice(0, 12)})`);
  if (fault.helperImage !== undefined) {
    const image = fault.helperImageName ? `${fault.helperImageName} (${fault.helperImage.slice(0, 19)})` : fault.helperImage;
    lines.push(`       helper containers from image ${image}`);
  }
  if (step.maxDurationMs !== undefined)
    lines.push(`       reverted ${formatTarget(step.maxDurationMs)} after it is applied, if still in effect (maxDuration)`);
  for (const note of fault.notes ?? []) lines.push(`       ${paint.dim('note')}  ${paint.dim(escapeControl(note))}`);
  for (const action of fault.actions) {
    lines.push(`       ${paint.warn('do')}    ${action.apply}`);
    if (action.measured !== undefined) lines.push(`       ${paint.dim('now')}   ${paint.dim(action.measured)}`);
    lines.push(`       ${paint.good('undo')}  ${action.revert ?? paint.bad('cannot be undone')}`);
  }
  return lines;
}

function rollbackLines(doc: PlanDocument): string[] {
  const faults = doc.steps.filter((step) => step.fault !== undefined).length;
  if (faults === 0) return ['Rollback: nothing to revert (no fault is injected).'];
  if (doc.rollback === 'never') {
    return ['Rollback: never (the playbook says so) — the faults stay applied at the end; `firedrill recover` reverts them.'];
  }
  const lines = ['Rollback, newest fault first (a fault already reverted and verified during the steps is skipped):'];
  for (const entry of doc.rollbackOrder) {
    const reverts = entry.reverts.map((revert) => revert ?? 'cannot be undone');
    lines.push(`  - "${entry.ref}" (${entry.kind}): ${reverts.length > 0 ? reverts.join('; ') : 'nothing to undo'}`);
  }
  return lines;
}
