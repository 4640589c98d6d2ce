import { differenceText, notExact } from '../faults/mechanisms/revert-differences.js';
import { count } from '../words/number-words.js';
import { RECOVERY_OBJECTIVE } from '../run/objectives.js';
import { junitStepCase } from './junit-steps.js';
import type { DrillModel, FaultModel, ObjectiveModel, SteadyCheckModel, StopConditionModel } from './model-types.js';
import { faultsMayRemain, measuredAgainstTarget, objectiveEveryMs, objectiveResult, revertState } from './report-words.js';
import { ABORT_CAUSE, VERDICT_LABEL, VERDICT_MEANING } from '../sentences/verdict-words.js';
import { type JunitCase, type JunitResult, PASSED, junitDuration, seconds } from './junit-types.js';
import { formatMeasured, formatOffset, formatResolutionInline, formatTarget } from '../words/time-format.js';

/**
 * The drill as JUnit test cases, in plain text (junit.ts escapes it): one per objective, steady
 * state check, step, stop condition, fault revert and restore step, and one for the verdict.
 *
 * failure: the topology did not do what the playbook expects (an objective missed or not
 * measured, a wait that never held, a steady state or stop condition broken, a check declined).
 * error: the drill itself could not do its job (a fault not injected, an action that failed, a
 * revert not verified, a step cut short by an abort or a crash); that is firedrill's to report.
 *
 * Names stay the same from run to run (targets and step names, never measurements), so a CI
 * server can follow each case across runs; measurements go in the messages and the output.
 */

export function junitCases(model: DrillModel): JunitCase[] {
  const classOf = (group: string) => `firedrill.${model.playbook?.name ?? 'unnamed'}.${group}`;
  const cases = [
    ...model.objectives.map((o) => objectiveCase(model, o, classOf('objectives'))),
    ...model.steadyState.before.map((c) => steadyCase(c, 'before', classOf('steady-state'))),
    ...model.steps.map((s) => junitStepCase(model, s, classOf('steps'))),
    ...model.stopConditions.map((c) => stopConditionCase(c, classOf('stop-conditions'))),
    ...model.faults.map((f) => revertCase(model, f, classOf('rollback'))),
    ...model.restore.map((s) => junitStepCase(model, s, classOf('restore'))),
    ...model.steadyState.after.map((c) => steadyCase(c, 'after', classOf('steady-state'))),
    verdictCase(model, classOf('drill')),
  ];
  return uniqueNames(cases);
}

/** The verdict, the reason, why it stopped early and what may be left applied: for the suite and the verdict case. */
export function verdictLines(model: DrillModel): string[] {
  const exit = model.exitCode === null ? 'no exit code' : `exit code ${model.exitCode}`;
  const reason = model.reason ? ` — ${model.reason}` : '';
  const lines = [`Verdict: ${VERDICT_LABEL[model.verdict]} (${exit}): ${VERDICT_MEANING[model.verdict]}${reason}.`];
  if (model.abort) lines.push(`Stopped early — ${ABORT_CAUSE[model.abort.cause]}: ${model.abort.reason}.`);
  if (model.remainingFaults)
    lines.push(`Faults left in place: ${model.remainingFaults.refs.join(', ')} — ${model.remainingFaults.reason}.`);
  if (faultsMayRemain(model)) lines.push("Faults may still be in effect: run `firedrill recover` on this run's directory.");
  return lines;
}

/**
 * Stable names CI can follow across runs: "RTO overall ≤ 45s" for the overall recovery time,
 * "RTO step 2 <name> ≤ 30s" for a step's, and a drill objective's own name for any other
 * ("time to first contact ≤ 1m"), so two drill objectives never share a name.
 */
function objectiveCaseName(o: ObjectiveModel, target: string): string {
  if (o.scope === 'step') return `RTO step ${(o.index ?? 0) + 1} ${o.name} ≤ ${target}`;
  return o.name === RECOVERY_OBJECTIVE ? `RTO overall ≤ ${target}` : `${o.name} ≤ ${target}`;
}

function objectiveCase(model: DrillModel, o: ObjectiveModel, classname: string): JunitCase {
  const target = formatTarget(o.targetMs);
  const name = objectiveCaseName(o, target);
  const everyMs = objectiveEveryMs(model, o);
  const resolution = o.resolutionMs === null ? '' : ` (resolution ${formatResolutionInline(o.resolutionMs, everyMs)})`;
  const measured = `${measuredAgainstTarget(o)}${resolution}`;
  const base = { classname, name, seconds: seconds(o.measuredMs ?? 0), output: `measured ${measured}` };
  if (o.measuredMs === null) {
    const why = o.note ?? 'no measurement was recorded';
    const message = `not measured: ${why}; an objective that could not be measured counts as missed`;
    return {
      ...base,
      output: '',
      result: { kind: 'failure', type: 'objective-not-measured', message, detail: `target ${target}; ${message}` },
    };
  }
  if (o.met === true) return { ...base, result: PASSED };
  const message = `${objectiveResult(o).text}: ${measured}`;
  return { ...base, output: '', result: { kind: 'failure', type: 'objective-missed', message, detail: message } };
}

function steadyCase(c: SteadyCheckModel, phase: 'before' | 'after', classname: string): JunitCase {
  const saw = `${c.summary} (${count(c.attempts, 'attempt')}, at ${formatOffset(c.atMs)})`;
  const when = phase === 'before' ? 'before the first fault' : 'after the rollback';
  const result: JunitResult = c.ok
    ? PASSED
    : { kind: 'failure', type: 'steady-state', message: `the steady state did not hold ${when}: ${c.summary}`, detail: saw };
  return { classname, name: `${phase}: ${c.probe}`, seconds: seconds(0), result, output: saw };
}

function stopConditionCase(c: StopConditionModel, classname: string): JunitCase {
  const watchedMs = c.endedAtMs === null ? 0 : c.endedAtMs - c.watchedFromAtMs;
  const tally =
    c.samples === null || c.failed === null ? 'watched until the journal ends' : `${count(c.samples, 'check')}, ${c.failed} failed`;
  const output = `${c.probe}, every ${formatTarget(c.everyMs)} from ${formatOffset(c.watchedFromAtMs)}: ${tally}`;
  const b = c.breach;
  if (!b) return { classname, name: c.name, seconds: seconds(watchedMs), result: PASSED, output };
  const fault = b.fault ? `, ${formatMeasured(b.fault.sinceAppliedMs)} after fault ${b.fault.ref} was applied` : '';
  const message = `breached at ${formatOffset(b.atMs)}${fault}: ${b.reason}; the last check saw ${b.summary}`;
  const detail = `${message}\nThe drill was aborted and rolled back.`;
  return {
    classname,
    name: c.name,
    seconds: seconds(watchedMs),
    result: { kind: 'failure', type: 'stop-condition-breached', message, detail },
    output,
  };
}

/**
 * A revert not verified, or none recorded for a fault that may be in effect, is firedrill's
 * problem: an error. One verified but not exact (an address other containers see otherwise) is a
 * failure, as the verdict is.
 */
function revertCase(model: DrillModel, f: FaultModel, classname: string): JunitCase {
  const lines: string[] = [];
  if (f.appliedAtMs !== null) lines.push(`applied at ${formatOffset(f.appliedAtMs)}`);
  if (f.expiry)
    lines.push(`reverted at its maximum duration of ${formatTarget(f.expiry.maxDurationMs)} (at ${formatOffset(f.expiry.atMs)})`);
  if (f.revert) {
    lines.push(
      `reverted at ${formatOffset(f.revert.atMs)}${f.revert.verified ? ' and verified' : ''}`,
      ...f.revert.done.map((d) => `done: ${d}`),
    );
    lines.push(...f.revert.differences.map((d) => `difference: ${differenceText(d)}`));
  }
  const base = { classname, name: `revert ${f.ref} (${f.kind})`, seconds: seconds(0), output: lines.join('\n') };
  const error = (type: string, message: string, detail = message): JunitCase => ({
    ...base,
    result: { kind: 'error', type, message, detail },
  });
  const state = revertState(model, f);
  switch (state.kind) {
    case 'verified': {
      // Undone, but not as found: what other containers observe differs (an interface name alone does not count).
      const seen = notExact(state.revert.differences);
      if (seen.length === 0) return { ...base, result: PASSED };
      const message = `the fault is undone, but the topology was not given back as found: ${seen.map(differenceText).join('; ')}`;
      return { ...base, output: '', result: { kind: 'failure', type: 'rollback-not-exact', message, detail: lines.join('\n') } };
    }
    case 'not-verified': {
      const revert = state.revert;
      const problems = revert.problems.length > 0 ? revert.problems.join('; ') : 'no detail recorded';
      const manual = revert.manual.length > 0 ? ['To finish the rollback by hand, run:', ...revert.manual] : [];
      const message = `the revert could not be verified: ${problems}; the fault may still be in effect — run \`firedrill recover\``;
      return error('rollback-not-verified', message, [message, ...revert.problems.map((p) => `problem: ${p}`), ...manual].join('\n'));
    }
    case 'left-in-place':
      return error('rollback-incomplete', `left in place: ${state.reason}`);
    case 'not-applied':
      return { ...base, result: { kind: 'skipped', message: 'the fault could not be applied, and no revert was recorded' } };
    case 'not-revertible':
      return { ...base, result: { kind: 'skipped', message: 'this fault cannot be reverted automatically' } };
    case 'journal-ends-early':
      return error(
        'rollback-incomplete',
        "no revert was recorded before the journal ends: it may still be in effect — run `firedrill recover` on this run's directory",
      );
    case 'no-revert':
      return error('rollback-incomplete', 'no revert was recorded');
  }
}

function verdictCase(model: DrillModel, classname: string): JunitCase {
  const lines = verdictLines(model);
  const base = { classname, name: 'verdict', seconds: junitDuration(model), output: '' };
  const message = lines[0] ?? '';
  switch (model.verdict) {
    case 'passed':
      return { ...base, output: lines.join('\n'), result: PASSED };
    // The topology let the drill down; the cases above say where.
    case 'failed':
      return { ...base, result: { kind: 'failure', type: 'drill-failed', message, detail: lines.join('\n') } };
    // The drill did not run to its end, or did not undo what it did.
    default:
      return { ...base, result: { kind: 'error', type: `drill-${model.verdict}`, message, detail: lines.join('\n') } };
  }
}

/**
 * CI servers key a case by classname and name and drop repeats (two steady-state checks of one
 * probe, say); a repeat gets " (2)", " (3)" in the order it came.
 */
function uniqueNames(cases: JunitCase[]): JunitCase[] {
  const used = new Set<string>();
  return cases.map((c) => {
    let name = c.name;
    for (let n = 2; used.has(`${c.classname}\u0000${name}`); n += 1) name = `${c.name} (${n})`;
    used.add(`${c.classname}\u0000${name}`);
    return name === c.name ? c : { ...c, name };
  });
}
