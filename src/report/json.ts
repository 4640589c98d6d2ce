import type { DrillModel, FaultModel, NotificationModel, ObjectiveModel, StepModel, StopConditionModel } from './model-types.js';

/**
 * report.json: the drill's results for machines. Bump the version on any change that could
 * break a reader (a field removed, renamed or given another meaning); adding fields is not one.
 */
export const REPORT_SCHEMA_VERSION = 1;

/** Pretty-printed, with a trailing newline; pure, so the same model gives the same bytes. */
export function renderJson(model: DrillModel): string {
  return `${JSON.stringify(reportOf(model), null, 2)}\n`;
}

function reportOf(model: DrillModel) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: model.runId,
    firedrillVersion: model.firedrillVersion,
    playbook: model.playbook
      ? { name: model.playbook.name, title: model.playbook.title, file: model.playbook.file, sha256: model.playbook.sha256 }
      : null,
    // Only when the journal recorded one, so reports of older journals stay byte for byte.
    ...(model.planHash ? { planHash: model.planHash } : {}),
    project: model.project,
    endpoint: model.endpoint,
    verdict: model.verdict,
    exitCode: model.exitCode,
    reason: model.reason,
    finished: model.finished,
    startedAt: model.startedAt,
    endedAt: model.endedAt,
    durationMs: ms(model.durationMs),
    timeLimitMs: model.timeLimitMs,
    objectives: model.objectives.map(objectiveOf),
    steps: model.steps.map(stepOf),
    restore: model.restore.map(stepOf),
    faults: model.faults.map(faultOf),
    steadyState: {
      before: model.steadyState.before.map((c) => ({ ...c, atMs: ms(c.atMs) })),
      after: model.steadyState.after.map((c) => ({ ...c, atMs: ms(c.atMs) })),
    },
    abort: model.abort ? { ...model.abort, atMs: ms(model.abort.atMs) } : null,
    stopConditions: model.stopConditions.map(stopConditionOf),
    remainingFaults: model.remainingFaults ? { ...model.remainingFaults, atMs: ms(model.remainingFaults.atMs) } : null,
    // Only for drills that posted updates or ran the regression gate: other reports stay as they were.
    ...(model.notifications.length > 0
      ? {
          notifications: model.notifications.map(notificationOf),
          firstContact: model.firstContact ? { ...model.firstContact, atMs: ms(model.firstContact.atMs) } : null,
        }
      : {}),
    ...(model.regression ? { regression: model.regression } : {}),
    journal: { ...model.journal },
  };
}

function objectiveOf(o: ObjectiveModel) {
  return {
    scope: o.scope,
    step: o.index,
    name: o.name,
    targetMs: o.targetMs,
    measuredMs: ms(o.measuredMs),
    resolutionMs: o.resolutionMs,
    met: o.met,
    missedByMs: ms(o.missedByMs),
    note: o.note,
  };
}

function stepOf(s: StepModel) {
  return {
    index: s.index,
    name: s.name,
    action: s.action,
    describe: s.describe,
    status: s.status,
    startedAtMs: ms(s.startedAtMs),
    durationMs: ms(s.durationMs),
    error: s.error,
    wait: s.wait
      ? {
          met: s.wait.met,
          samples: s.wait.samples,
          reference: s.wait.reference,
          recoveryMs: ms(s.wait.recoveryMs),
          resolutionMs: s.wait.resolutionMs,
          everyMs: s.wait.everyMs,
          firstOk: s.wait.firstOk ? { ...s.wait.firstOk, atMs: ms(s.wait.firstOk.atMs) } : null,
          heldFromAtMs: ms(s.wait.heldFromAtMs),
          lastFailure: s.wait.lastFailure ? { ...s.wait.lastFailure, atMs: ms(s.wait.lastFailure.atMs) } : null,
        }
      : null,
    run: s.run,
    manual: s.manual,
    fault: s.faultRef,
  };
}

function faultOf(f: FaultModel) {
  return {
    ref: f.ref,
    kind: f.kind,
    step: { section: f.section, index: f.index },
    describe: f.describe,
    targets: f.targets,
    state: f.state,
    appliedAtMs: ms(f.appliedAtMs),
    injectMs: ms(f.injectMs),
    injectError: f.injectError,
    revertible: f.revertible,
    maxDurationMs: f.expiry?.maxDurationMs ?? null,
    expiredAtMs: ms(f.expiry?.atMs ?? null),
    reverted: f.revert !== null,
    verified: f.revert?.verified ?? false,
    revertedAtMs: ms(f.revert?.atMs ?? null),
    done: f.revert?.done ?? [],
    problems: f.revert?.problems ?? [],
    manual: f.revert?.manual ?? [],
  };
}

function notificationOf(n: NotificationModel) {
  return {
    section: n.section,
    index: n.index,
    atMs: ms(n.atMs),
    status: n.status,
    message: n.message,
    channel: n.channel,
    target: n.target,
    ok: n.ok,
    httpStatus: n.httpStatus,
    error: n.error,
    attempts: n.attempts,
    latencyMs: n.latencyMs,
  };
}

function stopConditionOf(c: StopConditionModel) {
  const b = c.breach;
  return {
    name: c.name,
    probe: c.probe,
    everyMs: c.everyMs,
    from: c.from,
    tolerateMs: c.tolerateMs,
    maxErrorRate: c.maxErrorRate,
    windowMs: c.windowMs,
    watchedFromAtMs: ms(c.watchedFromAtMs),
    endedAtMs: ms(c.endedAtMs),
    samples: c.samples,
    failed: c.failed,
    breached: b !== null,
    breach: b
      ? {
          atMs: ms(b.atMs),
          rule: b.rule,
          reason: b.reason,
          summary: b.summary,
          sampledAtMs: ms(b.sampledAtMs),
          firstFailureAtMs: ms(b.firstFailureAtMs),
          samples: b.samples,
          failed: b.failed,
          fault: b.fault ? { ref: b.fault.ref, appliedAtMs: ms(b.fault.appliedAtMs), sinceAppliedMs: ms(b.fault.sinceAppliedMs) } : null,
        }
      : null,
  };
}

/** Milliseconds to nanosecond precision, the journal's own, without float noise in the text. */
function ms<T extends number | null>(value: T): T {
  if (value === null) return value;
  return (Math.round(value * 1e6) / 1e6) as T;
}
