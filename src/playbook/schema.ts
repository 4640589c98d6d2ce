import { z } from 'zod';
import { actionSpecSchema } from '../actions/spec-schema.js';
import { faultSpecSchema } from '../faults/spec-schema.js';
import { notifySpecSchema } from '../notify/spec-schema.js';
import { probeSpecSchema } from '../probes/spec-schema.js';
import { identifier, serviceName } from '../spec/common.js';
import { reportSettingsSchema } from './report-settings.js';
import { duration, formatDuration } from '../spec/duration.js';

/**
 * The playbook: one drill, as YAML. Validation reports every problem with its position
 * (see load.ts); cross-references (fault ids, services, regions) are checked in references.ts.
 */

const waitSchema = z.strictObject({
  probe: probeSpecSchema,
  /** Time between samples; it is also the resolution of the recovery time measured. */
  every: duration({ min: 50, max: 600_000 }).default(500),
  timeout: duration({ min: 100, max: 86_400_000 }).default(60_000),
  /** Samples in a row that must hold before the condition counts as met. */
  consecutive: z.number().int().min(1).max(1000).default(1),
  /** Fault id the recovery time is measured from; by default the last fault injected. */
  from: identifier.optional(),
  /** Recovery time objective for this step. */
  rto: duration({ min: 1, max: 86_400_000 }).optional(),
});

const manualSchema = z.strictObject({
  prompt: z.string().min(1),
  /** What to do when nobody can answer (CI, no terminal): fail the step, pass it, or skip it. */
  ci: z.enum(['fail', 'pass', 'skip']).default('fail'),
  timeout: duration({ min: 1000, max: 86_400_000 }).default(600_000),
});

const STEP_ACTIONS = ['inject', 'wait', 'run', 'manual', 'notify', 'pause'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const stepSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    inject: faultSpecSchema.optional(),
    wait: waitSchema.optional(),
    run: actionSpecSchema.optional(),
    manual: manualSchema.optional(),
    /** Post a customer status update (notify-step.ts). */
    notify: notifySpecSchema.optional(),
    pause: duration({ min: 0, max: 3_600_000 }).optional(),
  })
  // Checked even when other parts of the step have problems (`when`), so a step with two
  // actions is reported in the same pass as a mistake inside one of them.
  .refine((step) => actionsOf(step).length === 1, {
    when: (payload) => isMapping(payload.value),
    error: (issue) => {
      const present = actionsOf(issue.input);
      return present.length === 0
        ? `a step needs exactly one of: ${STEP_ACTIONS.join(', ')}`
        : `a step takes exactly one of ${STEP_ACTIONS.join(', ')}; this one has ${present.join(' and ')}`;
    },
  });

function actionsOf(step: unknown): StepAction[] {
  return isMapping(step) ? STEP_ACTIONS.filter((key) => step[key] !== undefined) : [];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const steadyStateSchema = z.strictObject({
  probes: z.array(probeSpecSchema).min(1),
  /** After rollback, how long the steady state may take to return. */
  within: duration({ min: 0, max: 3_600_000 }).default(60_000),
  every: duration({ min: 50, max: 60_000 }).default(1000),
});

/**
 * A probe watched while the drill runs; a breach aborts the drill, which then rolls back.
 * Two rules, either or both: `tolerate` (the probe may fail without a break for this long; 0,
 * the default when no error rate is set, means its first failure breaches) and `maxErrorRate`
 * over a sliding `window` (more than this share of the samples taken in the last `window`
 * failed; judged only once the condition has been watched for a whole window).
 */
const stopConditionSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    probe: probeSpecSchema,
    /** Time between samples. */
    every: duration({ min: 50, max: 600_000 }).default(1000),
    /** How long the probe may fail without one good sample in between before the drill stops. */
    tolerate: duration({ min: 0, max: 86_400_000 }).optional(),
    /** The share of failed samples (0 to 1) in the last `window` that is still acceptable. */
    maxErrorRate: z.number().min(0).lt(1).optional(),
    /** The span of recent samples `maxErrorRate` is judged over. */
    window: duration({ min: 100, max: 86_400_000 }).optional(),
    /** When watching begins: when the first fault is applied (default), or when the steps start. */
    from: z.enum(['first-fault', 'start']).default('first-fault'),
  })
  .superRefine((condition, ctx) => {
    if (condition.maxErrorRate !== undefined && condition.window === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxErrorRate'],
        message: 'maxErrorRate needs a window: the span of recent samples the rate is taken over, e.g. window: 30s',
      });
    }
    if (condition.window !== undefined && condition.maxErrorRate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: 'window only applies to an error rate: add maxErrorRate (e.g. 0.2), or remove window',
      });
    }
    if (condition.window !== undefined && condition.window < 2 * condition.every) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `window must span at least two samples: at least ${formatDuration(2 * condition.every)} with every ${formatDuration(condition.every)}`,
      });
    }
  });

const topologySchema = z
  .strictObject({
    /** Path to the compose file, relative to the playbook. */
    composeFile: z.string().min(1).optional(),
    /** Compose project name; by default the compose file's directory name, as compose does. */
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'compose project names use lowercase letters, digits, "-" and "_"' })
      .optional(),
    /** Service label naming a service's region. */
    regionLabel: z.string().min(1).default('firedrill.region'),
    /** Region → services; adds to (and overrides) what the label says. */
    regions: z.record(identifier, z.array(serviceName).min(1)).optional(),
    /**
     * Image for helper containers (iptables, tc, pkill beside a target), needed by network,
     * process faults. It must be on the engine already; FIREDRILL_HELPER_IMAGE overrides it.
     */
    helperImage: z.string().min(1).optional(),
  })
  .refine((t) => t.composeFile !== undefined || t.project !== undefined, {
    when: (payload) => isMapping(payload.value),
    message: 'give the topology a composeFile, a project, or both',
  });

export const playbookSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: identifier,
  title: z.string().min(1),
  description: z.string().optional(),
  /** Plain-language summary for customers: what is simulated and why. */
  summary: z.string().min(1),
  /** What happens after the drill, for the report. */
  nextSteps: z.array(z.string().min(1)).optional(),
  topology: topologySchema,
  objectives: z
    .strictObject({
      /** From the first fault applied until every wait step had recovered. */
      rto: duration({ min: 1, max: 86_400_000 }).optional(),
      /** From the first fault applied until the first customer update (notify step) was delivered. */
      firstContact: duration({ min: 1, max: 86_400_000 }).optional(),
    })
    .default({}),
  steadyState: steadyStateSchema.optional(),
  /** Probes watched while the drill runs; a breach aborts the drill and rolls it back. */
  stopConditions: z.array(stopConditionSchema).optional(),
  steps: z.array(stepSchema).min(1),
  /** Steps run after the faults are reverted (e.g. re-point replication after a promotion). */
  restore: z.array(stepSchema).optional(),
  /** always: revert every fault at the end; never: leave them for investigation (exit 5). */
  rollback: z.enum(['always', 'never']).default('always'),
  /** The drill is aborted and rolled back when it runs longer than this. */
  timeLimit: duration({ min: 1000, max: 86_400_000 }).default(600_000),
  /** What the customer report shows (report-settings.ts); everything internal is redacted by default. */
  report: reportSettingsSchema.optional(),
});

export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookInput = z.input<typeof playbookSchema>;
export type Step = Playbook['steps'][number];
export type WaitSpec = z.output<typeof waitSchema>;
export type ManualSpec = z.output<typeof manualSchema>;
export type StopConditionSpec = z.output<typeof stopConditionSchema>;
