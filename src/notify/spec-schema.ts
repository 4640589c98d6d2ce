import { z } from 'zod';
import { duration } from '../spec/duration.js';
import { STATUS_VALUES } from './status-update.js';

/** A webhook gets this long, all attempts included, unless the step says otherwise. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000;

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible characters, spaces and tabs: a value that cannot smuggle in another header. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * A notify step: one customer status update, posted to a webhook or appended to a file.
 * Header values are secrets as far as firedrill is concerned: they are sent, never journaled.
 */
export const notifySpecSchema = z
  .strictObject({
    status: z.enum(STATUS_VALUES),
    /** What customers read. */
    message: z.string().min(1),
    /** POST the update as JSON to this http(s) URL. */
    webhook: z.url({ protocol: /^https?$/, message: 'webhook must be an http:// or https:// URL' }).optional(),
    /** Extra request headers for the webhook (e.g. Authorization); their values are never journaled. */
    headers: z
      .record(
        z.string().regex(HEADER_NAME, { message: "a header name is letters, digits and !#$%&'*+.^_`|~-" }),
        z.string().regex(HEADER_VALUE, { message: 'a header value is one line of visible characters' }),
      )
      .optional(),
    /** Append the update as one JSON line to this file; relative to the run directory unless absolute. */
    file: z.string().min(1).optional(),
    /** How long the webhook gets, all attempts included (default 5s). */
    timeout: duration({ min: 100, max: 120_000 }).optional(),
    /** When true, an update that is not delivered fails the step (and the drill stops); by default it is recorded and the drill goes on. */
    required: z.boolean().default(false),
  })
  .superRefine((spec, ctx) => {
    if ((spec.webhook === undefined) === (spec.file === undefined)) {
      const both = spec.webhook !== undefined;
      ctx.addIssue({
        code: 'custom',
        message: both
          ? 'a notify step posts to a webhook or appends to a file, not both: remove one'
          : 'a notify step needs a webhook (an http(s) URL) or a file to send the update to',
      });
    }
    if (spec.webhook !== undefined && /^[a-z]+:\/\/[^/?#]*@/i.test(spec.webhook)) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'put credentials in headers (e.g. Authorization), not in the webhook URL',
      });
    }
    if (spec.file !== undefined) {
      if (spec.headers !== undefined)
        ctx.addIssue({ code: 'custom', path: ['headers'], message: 'headers only apply to a webhook; remove them, or post to a webhook' });
      if (spec.timeout !== undefined)
        ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'timeout only applies to a webhook; remove it' });
    }
  });

export type NotifySpec = z.output<typeof notifySpecSchema>;
