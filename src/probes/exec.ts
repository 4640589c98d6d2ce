import { z } from 'zod';
import { command, commandExpectation, serviceName } from '../spec/common.js';
import type { ContainerExec, ContainerInfo, ExecResult } from '../engine/ports.js';
import { duration } from '../spec/duration.js';
import { serviceContainers } from '../topology/topology.js';
import {
  type Check,
  type CommandExpectation,
  checkCommandResult,
  commandOutcomeParts,
  describeCommandOutcome,
  formatCommand,
} from './expectations.js';
import { nsToMs } from '../clock.js';
import { commandExpectationText, shownPlain } from './expectation-words.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { messageOf } from '../errors.js';

/** A command run in every container of a service; it holds when it holds in all of them. */
export const execProbeSchema = z.strictObject({
  kind: z.literal('exec'),
  name: z.string().optional(),
  service: serviceName,
  command,
  timeout: duration({ min: 10, max: 300_000 }).default(5000),
  expect: commandExpectation,
});
export type ExecProbeSpec = z.output<typeof execProbeSchema>;

/**
 * Holds only when the command's outcome matches in every container of the service, so a
 * stopped or paused replica makes it fail (the exec itself fails there, which is data).
 * An unknown service is a ScopeError: the playbook, not the observation, is wrong.
 */
export const execProbe: Probe<ExecProbeSpec, typeof execProbeSchema> = {
  kind: 'exec',
  schema: execProbeSchema,
  describe: (spec) => `\`${shownPlain(formatCommand(spec.command))}\` in ${spec.service} → ${commandExpectationText(spec.expect)}`,
  run: runExecProbe,
};

async function runExecProbe(spec: ExecProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const containers = serviceContainers(ctx.topology, spec.service);
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs: 0 };
  const started = ctx.clock.now();
  const outcomes = await Promise.all(
    containers.map((container) =>
      execAndCheck(ctx.engine, container, spec.command, spec.expect, { timeoutMs: spec.timeout, signal: ctx.signal }),
    ),
  );
  const latencyMs = nsToMs(ctx.clock.now() - started);
  const observed = { containers: outcomes.map(observedOutcome) };
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted', latencyMs, observed };
  const failed = outcomes.find((outcome) => !outcome.check.ok);
  if (failed) return { ok: false, summary: `${failed.container.name}: ${failed.summary}`, latencyMs, observed };
  const where = outcomes.length === 1 ? outcomes[0]?.container.name : `${outcomes.length} containers of ${spec.service}`;
  return { ok: true, summary: `exit ${spec.expect.exitCode} in ${where}`, latencyMs, observed };
}

/** What one container said: its result when the exec ran, the verdict, and words for it. */
export interface ContainerCommandOutcome {
  container: ContainerInfo;
  result?: ExecResult;
  check: Check;
  /** "exit 1 (expected 0)", "exec failed: …" */
  head: string;
  /** First line of output, when there was any and the check failed. */
  excerpt: string;
  /** head and excerpt together: "exit 1 (expected 0): NOAUTH …" */
  summary: string;
}

/**
 * Runs the command in one container and judges it. A rejected exec (container stopped,
 * removed, engine unreachable, timed out) is a failed outcome, never a throw.
 */
export async function execAndCheck(
  engine: ContainerExec,
  container: ContainerInfo,
  command: string[],
  expect: CommandExpectation,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<ContainerCommandOutcome> {
  try {
    const result = await engine.exec(container.id, command, opts);
    const check = checkCommandResult(result, expect);
    const { head, excerpt } = commandOutcomeParts(result, check);
    return { container, result, check, head, excerpt, summary: describeCommandOutcome(result, check) };
  } catch (error) {
    const message = messageOf(error);
    const reason = opts.signal.aborted ? 'aborted' : `exec failed: ${message}`;
    return { container, check: { ok: false, reason }, head: reason, excerpt: '', summary: reason };
  }
}

function observedOutcome(outcome: ContainerCommandOutcome): Record<string, unknown> {
  return {
    container: outcome.container.name,
    ok: outcome.check.ok,
    ...(outcome.result ? { exitCode: outcome.result.exitCode } : {}),
    ...(outcome.check.reason ? { reason: outcome.check.reason } : {}),
  };
}
