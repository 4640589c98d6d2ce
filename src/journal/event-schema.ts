import { z } from 'zod';
import type { DifferenceAspect, EventMap, EventType } from './events.js';
import type { StepAction } from '../playbook/schema.js';
import type { StatusValue } from '../notify/status-update.js';
import type { Redaction, ReportSectionId } from '../playbook/report-settings.js';
import { echo } from './echo.js';

/**
 * The shape of each event's data, checked as a journal is read, so that a well-formed line whose
 * `data` is `{}`, `[]` or of the wrong types is named as damage instead of reaching a report or
 * a recovery as `undefined`. One schema per event type in journal/events.ts; the type check at the
 * bottom keeps the two in step.
 *
 * Objects are loose: a journal written by a newer firedrill may carry fields this one does not
 * know, and those are kept as they are. Value lists that live elsewhere (step actions, status
 * values, report sections) are repeated here, checked against their types, so that reading a
 * journal loads no playbook schema.
 */

const text = z.string();
/** Durations and times measured by firedrill: never negative. */
const ms = z.number().min(0);
const count = z.int().min(0);
const nullableMs = ms.nullable();

const STEP_ACTIONS = ['inject', 'wait', 'run', 'manual', 'notify', 'pause'] as const satisfies readonly StepAction[];
const STATUS_VALUES = ['investigating', 'identified', 'monitoring', 'resolved'] as const satisfies readonly StatusValue[];
const REDACTIONS = ['container-ids', 'addresses', 'hostnames', 'environment'] as const satisfies readonly Redaction[];
const DIFFERENCE_ASPECTS = ['ipv4', 'ipv6', 'mac', 'address-configured', 'interface'] as const satisfies readonly DifferenceAspect[];
// biome-ignore format: a list laid out by hand, several names a line
const REPORT_SECTIONS = [
  'simulated', 'customer-impact', 'objectives', 'regression', 'status-updates', 'customer-updates',
  'stop-conditions', 'steps', 'timeline', 'rollback', 'findings', 'next-steps',
] as const satisfies readonly ReportSectionId[];

// The lists above name every value of their types (a value added there and not here fails to compile).
type Exhaustive<List extends readonly string[], Union extends string> = [Exclude<Union, List[number]>] extends [never] ? true : never;
const exhaustive: [
  Exhaustive<typeof STEP_ACTIONS, StepAction>,
  Exhaustive<typeof STATUS_VALUES, StatusValue>,
  Exhaustive<typeof REDACTIONS, Redaction>,
  Exhaustive<typeof REPORT_SECTIONS, ReportSectionId>,
  Exhaustive<typeof DIFFERENCE_ASPECTS, DifferenceAspect>,
] = [true, true, true, true, true];
void exhaustive;

const section = z.enum(['steps', 'restore']);

/** One thing a revert could not give back as it was (faults/revert-differences.ts). */
const revertDifference = z.looseObject({
  container: text,
  network: text.optional(),
  aspect: z.enum(DIFFERENCE_ASPECTS),
  before: text.nullable(),
  after: text.nullable(),
  unobserved: text.optional(),
});
const action = z.enum(STEP_ACTIONS);

/** A pattern the customer report compiles: one that does not compile is damage, not a crash later. */
const regexSource = z
  .string()
  .min(1)
  .refine((source) => {
    try {
      new RegExp(source, 'g');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

const reportSettings = z.looseObject({
  customer: z.looseObject({
    redact: z.array(z.enum(REDACTIONS)),
    hide: z.array(z.enum(REPORT_SECTIONS)),
    terms: z.record(z.string().min(1), z.string().min(1)),
    hidePatterns: z.array(regexSource),
  }),
});

const stepOutline = z.looseObject({
  index: count,
  name: text,
  action,
  describe: text,
  description: text.optional(),
  rtoMs: ms.optional(),
});

const lockFacts = z.looseObject({
  name: text,
  expiresAt: text,
  tookOver: z
    .looseObject({
      purpose: text,
      playbook: text.optional(),
      host: text,
      pid: z.int().nullable(),
      startedAt: text,
      why: z.enum(['process-gone', 'expired']),
    })
    .optional(),
});

const attachedNetwork = z.looseObject({
  networkId: text,
  networkName: text,
  aliases: z.array(text),
  ipv4: text.optional(),
  // Recorded for region-loss isolate, so that a revert gives each endpoint back as it was.
  ipv6: text.optional(),
  macAddress: text.optional(),
  requested: z.looseObject({ ipv4: text.optional(), ipv6: text.optional() }).optional(),
  interfaceName: text.optional(),
});

const faultTarget = z.looseObject({
  containerId: text,
  name: text,
  service: text,
  networks: z.array(attachedNetwork).optional(),
  before: z.record(z.string(), z.unknown()).optional(),
});

/** What a revert needs: checked here so that `recover` never works from half a record. */
const faultRecord = z.looseObject({
  ref: z.string().min(1),
  kind: z.string().min(1),
  revertible: z.boolean(),
  spec: z.unknown(),
  targets: z.array(faultTarget),
  helperImage: text.optional(),
  helperImageName: text.optional(),
});

const plannedAction = z.looseObject({ apply: text, revert: text.optional(), measured: text.optional() });

const regressionObjective = z.looseObject({
  name: text,
  scope: z.enum(['drill', 'step']),
  index: count.optional(),
  baselineMs: nullableMs,
  measuredMs: nullableMs,
  changeMs: z.number().nullable(),
  changePct: z.number().nullable(),
  combinedResolutionMs: nullableMs,
  lowerBoundChangeMs: z.number().nullable().optional(),
  outcome: z.enum(['regressed', 'within-limit', 'within-resolution', 'faster', 'not-in-baseline', 'baseline-not-measured', 'not-measured']),
  regressed: z.boolean(),
});

const regressionChecked = z.union([
  z.looseObject({ baselineRunId: text, maxRegressionPct: z.number(), objectives: z.array(regressionObjective), regressed: count }),
  z.looseObject({ baselineRunId: z.null(), maxRegressionPct: z.number(), reason: text, regressed: z.literal(0) }),
]);

const schemas = {
  'drill.started': z.looseObject({
    runId: text,
    firedrillVersion: text,
    playbook: z.looseObject({
      name: text,
      title: text,
      summary: text,
      description: text.optional(),
      nextSteps: z.array(text).optional(),
      report: reportSettings.optional(),
      file: text,
      sha256: text,
    }),
    project: text,
    endpoint: text,
    objectives: z.looseObject({ rtoMs: ms.optional(), firstContactMs: ms.optional() }),
    timeLimitMs: ms,
    rollback: z.enum(['always', 'never']),
    steps: z.array(stepOutline),
    restore: z.array(stepOutline),
    steadyState: z.array(text),
    planHash: text.optional(),
    lock: lockFacts.optional(),
  }),
  'topology.resolved': z.looseObject({
    services: z.array(
      z.looseObject({
        name: text,
        region: text.optional(),
        containers: z.array(z.looseObject({ id: text, name: text, service: text, status: text, health: text })),
      }),
    ),
    regions: z.record(z.string(), z.array(text)),
    networks: z.array(z.looseObject({ id: text, name: text })),
  }),
  'phase.started': z.looseObject({ phase: z.enum(['steady-state-before', 'steps', 'rollback', 'restore', 'steady-state-after']) }),
  'steady.checked': z.looseObject({ phase: z.enum(['before', 'after']), probe: text, ok: z.boolean(), summary: text, attempts: count }),
  'step.started': z.looseObject({ section, index: count, name: text, action, describe: text }),
  'fault.injecting': z.looseObject({ section, index: count, record: faultRecord, plan: z.array(plannedAction) }),
  'fault.applied': z.looseObject({ ref: text, kind: text, targets: z.array(text), injectMs: ms }),
  'fault.inject-failed': z.looseObject({ ref: text, kind: text, error: text }),
  'probe.sample': z.looseObject({ section, index: count, sample: count, ok: z.boolean(), summary: text, latencyMs: ms, streak: count }),
  // Older journals lack the polling interval (the model reads it only when it is a number), so
  // this schema is wider than the type the runner writes today.
  'wait.finished': z.looseObject({
    section,
    index: count,
    met: z.boolean(),
    samples: count,
    reference: z.looseObject({ ref: text, kind: text }).nullable(),
    recoveryMs: nullableMs,
    resolutionMs: ms,
    everyMs: ms.optional(),
    timeoutMs: ms,
    referenceExpired: z.looseObject({ maxDurationMs: ms, heldAfterMs: ms }).optional(),
  }) as unknown as z.ZodType<EventMap['wait.finished']>,
  'action.finished': z.looseObject({ section, index: count, ok: z.boolean(), summary: text, output: text.optional() }),
  'manual.answered': z.looseObject({
    section,
    index: count,
    outcome: z.enum(['confirmed', 'declined', 'ci-pass', 'ci-fail', 'ci-skip', 'timed-out']),
  }),
  'notify.sent': z.looseObject({
    section,
    index: count,
    status: z.enum(STATUS_VALUES),
    message: text,
    channel: z.enum(['webhook', 'file']),
    target: text,
    ok: z.boolean(),
    httpStatus: z.int().optional(),
    error: text.optional(),
    latencyMs: ms,
    attempts: count,
  }),
  'step.finished': z.looseObject({
    section,
    index: count,
    status: z.enum(['passed', 'failed', 'skipped', 'not-run']),
    durationMs: ms,
    error: text.optional(),
  }),
  'objective.evaluated': z.looseObject({
    scope: z.enum(['drill', 'step']),
    index: count.optional(),
    name: text,
    targetMs: ms,
    measuredMs: nullableMs,
    resolutionMs: nullableMs,
    met: z.boolean(),
    note: text.optional(),
  }),
  'drill.aborting': z.looseObject({
    cause: z.enum(['signal', 'time-limit', 'steady-state', 'step-failed', 'stop-condition']),
    reason: text,
  }),
  'fault.expired': z.looseObject({ ref: text, kind: text, maxDurationMs: ms, appliedForMs: ms }),
  'stop-condition.watching': z.looseObject({
    name: text,
    probe: text,
    everyMs: ms,
    from: z.enum(['first-fault', 'start']),
    tolerateMs: nullableMs,
    maxErrorRate: z.number().min(0).nullable(),
    windowMs: nullableMs,
  }),
  'stop-condition.changed': z.looseObject({ name: text, ok: z.boolean(), summary: text, sample: count, latencyMs: ms }),
  'stop-condition.breached': z.looseObject({
    name: text,
    rule: z.enum(['tolerate', 'error-rate']),
    reason: text,
    summary: text,
    sampledNs: ms,
    firstFailureNs: ms,
    samples: count,
    failed: count,
    tolerateMs: nullableMs,
    maxErrorRate: z.number().min(0).nullable(),
    windowMs: nullableMs,
  }),
  'stop-condition.ended': z.looseObject({ name: text, samples: count, failed: count, breached: z.boolean() }),
  'fault.reverted': z.looseObject({
    ref: text,
    kind: text,
    revertible: z.boolean(),
    verified: z.boolean(),
    done: z.array(text),
    problems: z.array(text),
    manual: z.array(text),
    /**
     * What the revert could not give back as it was (absent in journals from before it was
     * recorded): facts, or the sentences journals held before the facts were recorded.
     */
    differences: z.array(z.union([text, revertDifference])).optional(),
  }),
  'faults.remaining': z.looseObject({ refs: z.array(text), reason: text }),
  'regression.checked': regressionChecked,
  'recovery.started': z.looseObject({
    runId: text,
    project: text,
    endpoint: text,
    pending: z.array(text),
    lock: lockFacts.optional(),
    unreadable: z.array(z.looseObject({ file: text, line: count.nullable(), problem: text })).optional(),
  }),
  'recovery.finished': z.looseObject({ verified: z.array(text), unverified: z.array(text), exitCode: z.int() }),
  'drill.finished': z.looseObject({
    verdict: z.enum(['passed', 'failed', 'aborted', 'rollback-incomplete']),
    exitCode: z.int(),
    durationMs: ms,
    reason: text,
  }),
} satisfies { [T in EventType]: z.ZodType<EventMap[T]> };

const schemaByType: ReadonlyMap<string, z.ZodType> = new Map(Object.entries(schemas));

/** Whether this version knows the event type (a newer firedrill may write types it does not). */
export function isKnownEventType(type: string): type is EventType {
  return schemaByType.has(type);
}

/**
 * What is wrong with an event's data, in one line ("data.steps: expected array, received
 * undefined"), or undefined when it fits its type's schema. A type this version does not know
 * passes: its consumers ignore it.
 */
export function eventDataProblem(type: string, data: unknown): string | undefined {
  const schema = schemaByType.get(type);
  if (!schema) return undefined;
  const result = schema.safeParse(data);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const what = `has data that does not fit a "${echo(type)}" event`;
  if (!issue) return what;
  const path = ['data', ...issue.path.map((key) => echo(String(key), 40))].join('.');
  return `${what}: ${path}: ${echo(issueText(issue.message), 120)}`;
}

/** Zod's "Invalid input: expected string, received undefined" as "missing (expected string)". */
function issueText(message: string): string {
  const missing = /^Invalid input: expected (.+), received undefined$/.exec(message);
  if (missing) return `missing (expected ${missing[1]})`;
  return message.replace(/^Invalid input: /, '');
}
