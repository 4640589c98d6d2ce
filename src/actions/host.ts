import { z } from 'zod';
import { command, commandExpectation } from '../spec/common.js';
import { duration } from '../spec/duration.js';
import { capText, combinedOutput, formatCommand } from '../probes/expectations.js';
import { judgeHostRun, runOnHost } from '../probes/host.js';
import type { Action, ActionContext, ActionResult } from './action.js';
import { ACTION_OUTPUT_CAP_CHARS } from './exec.js';

/** A command run on the machine running firedrill. */
export const hostActionSchema = z.strictObject({
  kind: z.literal('host'),
  command,
  timeout: duration({ min: 10, max: 3_600_000 }).default(60_000),
  expect: commandExpectation,
});
export type HostActionSpec = z.output<typeof hostActionSchema>;

/** Read from each stream; more than the journal keeps, so the cap below decides what is shown. */
const HOST_ACTION_CAPTURE_BYTES = 64 * 1024;

/** Runs the command on the host, no shell unless the playbook gave one string (`sh -c`). */
export const hostAction: Action<HostActionSpec, typeof hostActionSchema> = {
  kind: 'host',
  schema: hostActionSchema,
  describe: (spec) => `run \`${formatCommand(spec.command)}\` on the host`,
  run: runHostAction,
};

async function runHostAction(spec: HostActionSpec, ctx: ActionContext): Promise<ActionResult> {
  const run = await runOnHost(spec.command, {
    timeoutMs: spec.timeout,
    signal: ctx.signal,
    capBytes: HOST_ACTION_CAPTURE_BYTES,
  });
  const { check, summary } = judgeHostRun(run, spec.expect);
  const output = capText(combinedOutput(run).trim(), ACTION_OUTPUT_CAP_CHARS);
  return output ? { ok: check.ok, summary, output } : { ok: check.ok, summary };
}
