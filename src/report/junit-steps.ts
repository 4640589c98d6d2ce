import { count } from '../words/number-words.js';
import { type JunitCase, type JunitResult, PASSED, seconds, secondsAtLeast } from './junit-types.js';
import type { DrillModel, StepModel } from './model-types.js';
import { referenceFault } from './report-words.js';
import { ABORT_CAUSE } from '../sentences/verdict-words.js';
import { formatMeasured, formatOffset, formatResolutionInline } from '../words/time-format.js';

/** Aborts that stop the step running at the time: it did not fail on its own. */
const CUTS_SHORT = new Set<string>(['signal', 'time-limit', 'stop-condition']);

const INTERRUPTED = 'the journal ends during this step: the drill was interrupted (a crash or a kill) before it finished';

/** One step (of the steps or the restore section) as a test case. */
export function junitStepCase(model: DrillModel, step: StepModel, classname: string): JunitCase {
  return {
    classname,
    name: `step ${step.index + 1}: ${step.name}`,
    seconds: stepSeconds(model, step),
    result: stepResult(model, step),
    output: stepOutput(model, step).join('\n'),
  };
}

function stepSeconds(model: DrillModel, step: StepModel): string {
  if (step.durationMs !== null) return seconds(step.durationMs);
  // Still running when the journal ends: it ran at least until then.
  if (step.status === 'interrupted' && step.startedAtMs !== null) return secondsAtLeast(model.durationMs - step.startedAtMs);
  return seconds(0);
}

function stepResult(model: DrillModel, step: StepModel): JunitResult {
  switch (step.status) {
    case 'passed':
      return PASSED;
    case 'skipped':
      return { kind: 'skipped', message: skippedWhy(step) };
    case 'not-run':
      return { kind: 'skipped', message: `not run: ${notRunWhy(model)}` };
    case 'interrupted':
      return { kind: 'error', type: 'interrupted', message: INTERRUPTED, detail: INTERRUPTED };
    case 'failed':
      return failedResult(model, step);
  }
}

function failedResult(model: DrillModel, step: StepModel): JunitResult {
  const abort = model.abort;
  if (step.section === 'steps' && abort && CUTS_SHORT.has(abort.cause)) {
    const message = `cut short: the drill was aborted — ${ABORT_CAUSE[abort.cause]}: ${abort.reason}`;
    return { kind: 'error', type: 'aborted', message, detail: step.error ? `${message}\nthe step said: ${step.error}` : message };
  }
  const error = step.error ?? 'the step failed';
  switch (step.action) {
    case 'wait': {
      const last = step.wait?.lastFailure;
      const message = last ? `${error}; the last failing check saw ${last.summary}` : error;
      return { kind: 'failure', type: 'condition-not-held', message, detail: message };
    }
    case 'manual':
      return { kind: 'failure', type: 'manual-check-failed', message: error, detail: error };
    case 'inject': {
      const fault = model.faults.find((f) => f.ref === step.faultRef);
      const message = step.error ?? fault?.injectError ?? 'the fault could not be injected';
      return { kind: 'error', type: 'inject-failed', message, detail: message };
    }
    case 'run':
      return { kind: 'error', type: 'action-failed', message: error, detail: error };
    default:
      return { kind: 'error', type: 'step-error', message: error, detail: error };
  }
}

function skippedWhy(step: StepModel): string {
  if (step.manual === 'ci-skip') return 'skipped: nobody can answer a manual step here, and the playbook says ci: skip';
  return step.error ? `skipped: ${step.error}` : 'skipped';
}

function notRunWhy(model: DrillModel): string {
  if (!model.finished) return 'the journal ends before this step';
  if (model.abort) return `the drill stopped early — ${ABORT_CAUSE[model.abort.cause]}: ${model.abort.reason}`;
  return 'an earlier step failed';
}

/** What the step does and what it saw: the describe line, then samples, action output or the answer. */
function stepOutput(model: DrillModel, step: StepModel): string[] {
  const lines = step.describe ? [step.describe] : [];
  if (step.error && step.status !== 'failed') lines.push(`error: ${step.error}`);
  if (step.faultRef) lines.push(faultLine(model, step.faultRef));
  if (step.wait && step.startedAtMs !== null) lines.push(...waitLines(model, step));
  if (step.run) {
    lines.push(`${step.run.ok ? 'succeeded' : 'failed'}: ${step.run.summary}`);
    if (step.run.output) lines.push('output:', step.run.output.replace(/\n+$/, ''));
  }
  if (step.manual) lines.push(`answer: ${step.manual}`);
  return lines;
}

function faultLine(model: DrillModel, ref: string): string {
  const fault = model.faults.find((f) => f.ref === ref);
  if (!fault) return `fault ${ref}`;
  switch (fault.state) {
    case 'applied':
      return `fault ${ref} (${fault.kind}) applied at ${formatOffset(fault.appliedAtMs ?? 0)}`;
    case 'inject-failed':
      return `fault ${ref} (${fault.kind}) could not be applied: ${fault.injectError ?? 'no reason recorded'}`;
    case 'injecting':
      return `fault ${ref} (${fault.kind}) was being applied when the journal ends`;
  }
}

function waitLines(model: DrillModel, step: StepModel): string[] {
  const wait = step.wait!;
  const lines = [`${count(wait.samples, 'check')}`];
  const fault = referenceFault(model, step);
  if (wait.met === true && wait.recoveryMs !== null) {
    const resolution = wait.resolutionMs === null ? '' : ` (${formatResolutionInline(wait.resolutionMs, wait.everyMs)})`;
    lines.push(`held ${formatMeasured(wait.recoveryMs)} after fault ${fault?.ref ?? wait.reference?.ref ?? '?'} was applied${resolution}`);
  } else if (wait.met === true) {
    lines.push(heldWithoutRecovery(step.section, wait));
  }
  if (wait.lastFailure) lines.push(`last failing check at ${formatOffset(wait.lastFailure.atMs)}: ${wait.lastFailure.summary}`);
  if (wait.lastSample) lines.push(`last check at ${formatOffset(wait.lastSample.atMs)}: ${wait.lastSample.summary}`);
  return lines;
}

/** A wait that held but claims no recovery time: why not. */
function heldWithoutRecovery(section: StepModel['section'], wait: NonNullable<StepModel['wait']>): string {
  if (wait.referenceExpired) return "held only after the fault's maximum duration was up and it was reverted: no recovery time";
  // The runner measures no restore-phase wait from a fault the rollback reverted: that is firedrill's own revert, not a recovery.
  if (section === 'restore' && wait.reference === null)
    return 'held after the rollback had reverted the faults, so no recovery time is claimed';
  return 'held; no fault had been applied before it, so no recovery time was measured';
}
