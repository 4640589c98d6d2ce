import { z } from 'zod';

/** Names people give things in a playbook: fault ids, region names. */
export const identifier = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { message: 'use letters, digits, "-", "_" or "." (at most 63 characters)' });

/** A compose service name. */
export const serviceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: 'not a valid compose service name' });

/**
 * A command: a list of arguments run as is, or one string run by `sh -c`.
 * Normalised to an argument list.
 */
export const command = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .transform((value) => (typeof value === 'string' ? ['sh', '-c', value] : value));

/**
 * A regular expression, checked when the playbook is validated rather than mid-drill. The
 * message gives the reason only: the engine's own repeats the whole expression, newlines and all.
 */
export const pattern = z.string().superRefine((text, ctx) => {
  try {
    new RegExp(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '');
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` });
  }
});

/** What a command's outcome must look like. */
export const commandExpectation = z
  .strictObject({
    exitCode: z.number().int().min(0).max(255).default(0),
    outputContains: z.string().optional(),
    outputMatches: pattern.optional(),
  })
  .default({ exitCode: 0 });

export const signalName = z
  .string()
  .regex(/^(SIG)?[A-Z0-9]+$/, { message: 'expected a signal name such as SIGKILL or SIGTERM' })
  .transform((name) => (name.startsWith('SIG') ? name : `SIG${name}`));
