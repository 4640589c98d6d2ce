import type { EventMap, Section, StepOutline } from '../journal/events.js';
import { RECOVERY_OBJECTIVE } from '../run/objectives.js';
import { emptySeries } from './sample-series.js';
import type { DrillModel, NotificationModel, ObjectiveModel, SteadyCheckModel, StepModel, WaitModel } from './model-types.js';

/** The model's parts as they start, and as built from single events. */

export function emptyModel(): DrillModel {
  return {
    runId: null,
    firedrillVersion: null,
    playbook: null,
    planHash: null,
    project: null,
    endpoint: null,
    verdict: 'incomplete',
    exitCode: null,
    reason: null,
    finished: false,
    startedAt: null,
    endedAt: null,
    durationMs: 0,
    timeLimitMs: null,
    rollbackPolicy: null,
    topology: null,
    objectives: [],
    steps: [],
    restore: [],
    faults: [],
    steadyState: { before: [], after: [] },
    abort: null,
    stopConditions: [],
    remainingFaults: null,
    notifications: [],
    firstContact: null,
    regression: null,
    timeline: [],
    journal: { entries: 0, lastSeq: null },
  };
}

export function stepFromOutline(section: Section, outline: StepOutline): StepModel {
  return {
    section,
    index: outline.index,
    name: outline.name,
    action: outline.action,
    describe: outline.describe,
    description: outline.description ?? null,
    rtoMs: outline.rtoMs ?? null,
    status: 'not-run',
    startedAtMs: null,
    finishedAtMs: null,
    durationMs: null,
    error: null,
    wait: outline.action === 'wait' ? emptyWait() : null,
    run: null,
    manual: null,
    faultRef: null,
  };
}

export function emptyWait(): WaitModel {
  return {
    samples: 0,
    met: null,
    reference: null,
    recoveryMs: null,
    resolutionMs: null,
    everyMs: null,
    firstOk: null,
    heldFromAtMs: null,
    referenceExpired: null,
    firstFailure: null,
    lastFailure: null,
    lastSample: null,
    series: emptySeries(),
  };
}

/** `drillName` names a drill objective other than the overall recovery time (e.g. the time to first contact). */
export function declaredObjective(
  scope: 'drill' | 'step',
  index: number | null,
  stepName: string | null,
  targetMs: number,
  drillName?: string,
): ObjectiveModel {
  // The names the runner gives objectives when it evaluates them.
  const name = scope === 'drill' ? (drillName ?? RECOVERY_OBJECTIVE) : (stepName ?? `step ${(index ?? 0) + 1}`);
  return {
    scope,
    index,
    stepName,
    name,
    targetMs,
    measuredMs: null,
    resolutionMs: null,
    met: null,
    missedByMs: null,
    evaluated: false,
    note: null,
  };
}

export function topologyOf(data: EventMap['topology.resolved']): DrillModel['topology'] {
  return {
    services: data.services.map((s) => ({ name: s.name, region: s.region ?? null, containers: s.containers.map((c) => c.name) })),
    regions: Object.fromEntries(Object.entries(data.regions).map(([region, services]) => [region, [...services]])),
    containers: data.services.flatMap((s) =>
      s.containers.map((c) => ({ service: s.name, name: c.name, id: c.id, status: c.status, health: c.health })),
    ),
    networks: data.networks.map((n) => ({ id: n.id, name: n.name })),
  };
}

export function steadyCheckOf(data: EventMap['steady.checked'], atMs: number): SteadyCheckModel {
  return { probe: data.probe, ok: data.ok, summary: data.summary, attempts: data.attempts, atMs };
}

export function runOf(data: EventMap['action.finished']): StepModel['run'] {
  return { ok: data.ok, summary: data.summary, output: data.output ?? null };
}

export function notificationOf(data: EventMap['notify.sent'], atMs: number): NotificationModel {
  return { ...data, atMs, httpStatus: data.httpStatus ?? null, error: data.error ?? null };
}
