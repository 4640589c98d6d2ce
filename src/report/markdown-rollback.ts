import { differenceText, notExact } from '../faults/mechanisms/revert-differences.js';
import { count } from '../words/number-words.js';
import { codeBlock } from './markdown-text.js';
import { capitalised, code, inline, quoted } from '../words/markdown-text.js';
import type { DrillModel, FaultModel } from './model-types.js';
import { measuredAgainstTarget, objectiveLabel, objectiveResult, revertState, stepNumber } from './report-words.js';
import { ABORT_CAUSE } from '../sentences/verdict-words.js';
import { formatOffset, formatTarget } from '../words/time-format.js';

const RECOVER_HINT = "Run `firedrill recover` on this run's directory to revert them from the journal.";

/** What was reverted and verified, what was not, and how to finish by hand. */
export function renderRollback(model: DrillModel): string {
  if (model.faults.length === 0) return 'No fault was injected, so there was nothing to roll back.';
  const parts = [model.faults.map((f) => rollbackLine(model, f)).join('\n')];
  const manual = model.faults.filter((f) => f.revert && !f.revert.verified).flatMap((f) => f.revert?.manual ?? []);
  if (manual.length > 0) parts.push(`To finish the rollback by hand, run:\n\n${codeBlock(manual.join('\n'), 'sh')}`);
  if (!model.finished && model.faults.some((f) => f.revert === null && f.state !== 'inject-failed')) parts.push(RECOVER_HINT);
  if (model.remainingFaults) {
    parts.push(`Faults left in place: ${model.remainingFaults.refs.map(code).join(', ')} — ${inline(model.remainingFaults.reason)}.`);
  }
  const after = model.steadyState.after;
  if (after.length > 0) {
    const held = after.every((c) => c.ok);
    const checks = after.map((c) => `- ${c.ok ? '✔' : '✘'} ${inline(c.probe)} (${inline(c.summary)})`).join('\n');
    parts.push(
      `${held ? 'The steady state returned after the rollback' : 'The steady state **did not** return after the rollback'}:\n\n${checks}`,
    );
  }
  return parts.join('\n\n');
}

function rollbackLine(model: DrillModel, f: FaultModel): string {
  const expired = f.expiry
    ? `its maximum duration of ${formatTarget(f.expiry.maxDurationMs)} was up at ${formatOffset(f.expiry.atMs)}, so it was reverted while the steps went on; `
    : '';
  const head = `- ${code(f.ref)} (${inline(f.describe ?? f.kind)}): ${expired}`;
  const state = revertState(model, f);
  switch (state.kind) {
    case 'verified':
    case 'not-verified': {
      const revert = state.revert;
      const differs = revert.differences.length > 0;
      const seen = notExact(revert.differences).length;
      const status =
        state.kind !== 'verified'
          ? `reverted at ${formatOffset(revert.atMs)}, but the revert **could not be verified**.`
          : seen > 0
            ? `reverted at ${formatOffset(revert.atMs)}: the fault is undone (checked), but the topology is **not as it was found**: other containers can observe ${count(seen, 'difference')}.`
            : differs
              ? `reverted at ${formatOffset(revert.atMs)}: the fault is undone (checked), but the containers are **not as they were** before it.`
              : `reverted and verified at ${formatOffset(revert.atMs)}.`;
      const details = [
        ...revert.done.map((d) => `done: ${inline(d)}`),
        ...revert.problems.map((p) => `problem: ${inline(p)}`),
        ...revert.differences.map((d) => `difference: ${inline(differenceText(d))}`),
      ];
      return [head + status, ...details.map((d) => `  - ${d}`)].join('\n');
    }
    case 'left-in-place':
      return `${head}left in place (${inline(state.reason)}).`;
    case 'not-applied':
      return `${head}could not be applied, and no revert was recorded.`;
    case 'not-revertible':
      return `${head}cannot be reverted automatically.`;
    case 'journal-ends-early':
      return `${head}no revert was recorded before the journal ends: it **may still be in effect**.`;
    case 'no-revert':
      return `${head}no revert was recorded.`;
  }
}

/** The playbook's own next steps, and what to do about this run's result. */
export function renderNextSteps(model: DrillModel): string {
  const parts: string[] = [];
  const planned = model.playbook?.nextSteps ?? [];
  if (planned.length > 0) parts.push(planned.map((s) => `- ${inline(s)}`).join('\n'));
  const findings = findingsOf(model);
  if (findings.length > 0) parts.push('Each finding above is followed up, and the drill is run again to confirm the fix.');
  if (parts.length === 0) parts.push('Nothing to follow up: the drill will be run again on its usual schedule.');
  return parts.join('\n\n');
}

/** What this run found, one sentence each; "none" when everything held. */
export function renderFindings(model: DrillModel): string {
  const findings = findingsOf(model);
  return findings.length > 0
    ? findings.map((f) => `- ${f}`).join('\n')
    : 'None: every objective was met and every fault was reverted and verified.';
}

function findingsOf(model: DrillModel): string[] {
  const findings: string[] = [];
  if (!model.finished)
    findings.push('The drill did not finish. Make sure its faults are reverted (`firedrill recover`), then run it again.');
  if (model.abort) findings.push(`The drill was stopped early — ${ABORT_CAUSE[model.abort.cause]}: ${inline(model.abort.reason)}.`);
  for (const o of model.objectives) {
    const result = objectiveResult(o);
    if (result.met !== false) continue;
    findings.push(
      o.measuredMs === null
        ? `The ${inline(objectiveLabel(o))} could not be measured: ${inline(result.text.replace(/^not measured: /, ''))}.`
        : `The ${inline(objectiveLabel(o))} ${result.text}: ${measuredAgainstTarget(o)}.`,
    );
  }
  for (const step of [...model.steps, ...model.restore]) {
    if (step.status === 'failed')
      findings.push(`${capitalised(stepNumber(step))} ${quoted(step.name)} failed${step.error ? `: ${inline(step.error)}` : ''}.`);
  }
  for (const f of model.faults) {
    if (f.revert && !f.revert.verified)
      findings.push(`The revert of fault ${code(f.ref)} was not verified: check the topology (see Rollback).`);
    else if (f.revert && notExact(f.revert.differences).length > 0) {
      const seen = notExact(f.revert.differences).length;
      findings.push(
        `The revert of fault ${code(f.ref)} did not give the topology back as found: other containers can observe ${count(seen, 'difference')} (see Rollback).`,
      );
    } else if (f.revert && f.revert.differences.length > 0) {
      findings.push(
        `The revert of fault ${code(f.ref)} could not give everything back as it was (${count(f.revert.differences.length, 'difference')}, see Rollback).`,
      );
    }
  }
  const notBack = model.steadyState.after.filter((c) => !c.ok);
  for (const c of notBack) findings.push(`The steady state did not return: ${inline(c.probe)} (${inline(c.summary)}).`);
  return findings;
}
