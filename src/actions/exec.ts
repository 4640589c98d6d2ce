import { z } from 'zod';
import { command, commandExpectation, serviceName } from '../spec/common.js';
import type { ContainerInfo } from '../engine/ports.js';
import { duration } from '../spec/duration.js';
import { execAndCheck, type ContainerCommandOutcome } from '../probes/exec.js';
import { capText, combinedOutput, formatCommand } from '../probes/expectations.js';
import { serviceContainers } from '../topology/topology.js';
import type { Action, ActionContext, ActionResult } from './action.js';
import { currentStatuses } from './service-lifecycle.js';

/** A command run in every running container of a service. */
export const execActionSchema = z.strictObject({
  kind: z.literal('exec'),
  service: serviceName,
  command,
  timeout: duration({ min: 10, max: 3_600_000 }).default(30_000),
  expect: commandExpectation,
});
export type ExecActionSpec = z.output<typeof execActionSchema>;

/** Captured output kept in the journal, per action. */
export const ACTION_OUTPUT_CAP_CHARS = 4096;

/**
 * Runs the command in the containers of the service that are running now (checked by
 * inspection, not from the topology snapshot). It succeeds when each of them meets the
 * expectation; with no running container at all it fails.
 */
export const execAction: Action<ExecActionSpec, typeof execActionSchema> = {
  kind: 'exec',
  schema: execActionSchema,
  describe: (spec) => `run \`${formatCommand(spec.command)}\` in every running container of ${spec.service}`,
  run: runExecAction,
};

async function runExecAction(spec: ExecActionSpec, ctx: ActionContext): Promise<ActionResult> {
  const containers = serviceContainers(ctx.topology, spec.service);
  if (ctx.signal.aborted) return { ok: false, summary: 'aborted' };
  const { running, skipped } = await partitionRunning(containers, ctx);
  if (running.length === 0) {
    return { ok: false, summary: `no running container in ${spec.service} (${skipped.join(', ')})` };
  }
  const opts = { timeoutMs: spec.timeout, signal: ctx.signal };
  const outcomes = await Promise.all(running.map((c) => execAndCheck(ctx.engine, c, spec.command, spec.expect, opts)));
  const output = joinOutputs(outcomes);
  const extra = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
  const withOutput = (result: ActionResult): ActionResult => (output ? { ...result, output } : result);
  if (ctx.signal.aborted) return withOutput({ ok: false, summary: 'aborted' });
  const failed = outcomes.filter((outcome) => !outcome.check.ok);
  const first = failed[0];
  if (!first) {
    const names = outcomes.map((o) => o.container.name).join(', ');
    return withOutput({ ok: true, summary: `${outcomes[0]?.head} in ${spec.service} (${names})${extra}` });
  }
  const excerpt = first.excerpt ? `: ${first.excerpt}` : '';
  const more = failed.length > 1 ? `; ${failed.length - 1} more failed` : '';
  const summary = `${first.head} in ${spec.service} (${first.container.name})${excerpt}${more}${extra}`;
  return withOutput({ ok: false, summary });
}

/** Running containers, and the others as "name (status)"; a failed inspection counts as not running. */
async function partitionRunning(containers: ContainerInfo[], ctx: ActionContext): Promise<{ running: ContainerInfo[]; skipped: string[] }> {
  const statuses = await currentStatuses(ctx.engine, containers, ctx.signal);
  const running = containers.filter((_, i) => statuses[i] === 'running');
  const skipped = containers.flatMap((c, i) => (statuses[i] === 'running' ? [] : [`${c.name} (${statuses[i]})`]));
  return { running, skipped };
}

/** One container's output as is; several, each under its name. Trimmed and capped. */
function joinOutputs(outcomes: ContainerCommandOutcome[]): string {
  const parts = outcomes.map((o) => ({ name: o.container.name, text: o.result ? combinedOutput(o.result).trim() : o.summary }));
  const text = parts.length === 1 ? (parts[0]?.text ?? '') : parts.map((p) => `[${p.name}]\n${p.text}`).join('\n');
  return capText(text.trim(), ACTION_OUTPUT_CAP_CHARS);
}
