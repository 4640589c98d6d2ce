import { isAbsolute, resolve } from 'node:path';
import { deliverStatusUpdate, targetOf } from '../../notify/deliver.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type NotifySpec } from '../../notify/spec-schema.js';
import type { DeliverStatusUpdate, DeliveryResult, StatusChannel, StatusUpdate } from '../../notify/status-update.js';
import { messageOf } from '../../errors.js';
import { nsToMs } from '../../clock.js';
import type { DrillContext, StepOutcome, StepPosition } from '../drill-context.js';

/**
 * Sends a customer status update, as the team would post one to its status page, and records
 * the outcome (notify.sent) at the moment it is known: time to first contact is measured to it.
 * Not interactive, so it is sent in CI too. A delivery that fails is recorded and the drill goes
 * on, unless the step says `required: true`; an abort ends the step either way.
 */
export async function runNotifyStep(ctx: DrillContext, at: StepPosition, spec: NotifySpec, signal: AbortSignal): Promise<StepOutcome> {
  const channel = channelOf(spec, ctx.runDir);
  const target = targetOf(channel);
  const update: StatusUpdate = {
    drill: ctx.playbook.name,
    runId: ctx.runId,
    status: spec.status,
    message: spec.message,
    sentAt: ctx.clock.wallNow().toISOString(),
  };
  const started = ctx.clock.now();
  const result = await deliverOrExplain(ctx.deliverStatusUpdate ?? deliverStatusUpdate, channel, update, signal);
  // The moment the outcome is known: time to first contact ends at this event (DrillFacts).
  ctx.bus.emit('notify.sent', {
    ...at,
    status: spec.status,
    message: spec.message,
    channel: channel.kind,
    target,
    ok: result.ok,
    ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    latencyMs: nsToMs(ctx.clock.now() - started),
    attempts: result.attempts,
  });
  if (signal.aborted) return { ok: false, error: 'aborted while sending the status update' };
  if (!result.ok && spec.required)
    return { ok: false, error: `status update not delivered to ${target}: ${result.error ?? 'no reason given'}` };
  return { ok: true };
}

function channelOf(spec: NotifySpec, runDir: string | undefined): StatusChannel {
  if (spec.webhook !== undefined) {
    return { kind: 'webhook', url: spec.webhook, headers: spec.headers ?? {}, timeoutMs: spec.timeout ?? DEFAULT_WEBHOOK_TIMEOUT_MS };
  }
  const file = spec.file ?? '';
  // An absolute file stays where it points (resolve only normalises it); without a run directory a relative one stays relative.
  return { kind: 'file', path: runDir === undefined ? file : resolve(runDir, file), given: file };
}

/** A delivery that throws, or a relative file with no run directory to put it in (channelOf left it relative), is a failed delivery. */
async function deliverOrExplain(
  deliver: DeliverStatusUpdate,
  channel: StatusChannel,
  update: StatusUpdate,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  if (channel.kind === 'file' && !isAbsolute(channel.path)) {
    return { ok: false, attempts: 0, error: `there is no run directory to put ${channel.path} in; give an absolute path` };
  }
  try {
    return await deliver(channel, update, signal);
  } catch (error) {
    return { ok: false, attempts: 0, error: messageOf(error) };
  }
}
