import { z } from 'zod';

/**
 * What the customer report may show. The engineering report shows everything; the customer
 * report redacts internal details by default, and a playbook can say more precisely what its
 * customers see: which details to redact, which sections to leave out, which internal names
 * to say in their words, and which further text to hide.
 */

/** The kinds of internal detail the customer report can redact; all of them by default. */
export const REDACTIONS = ['container-ids', 'addresses', 'hostnames', 'environment'] as const;
export type Redaction = (typeof REDACTIONS)[number];

/** The report's sections a playbook may hide from customers (the verdict is always shown). */
export const REPORT_SECTIONS = [
  'simulated',
  'customer-impact',
  'objectives',
  'regression',
  'status-updates',
  'customer-updates',
  'stop-conditions',
  'steps',
  'timeline',
  'rollback',
  'findings',
  'next-steps',
] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

const customerSchema = z.strictObject({
  redact: z.array(z.enum(REDACTIONS)).default([...REDACTIONS]),
  hide: z.array(z.enum(REPORT_SECTIONS)).default([]),
  /** Internal names and the words customers know them by: `app-a: checkout (region A)`. */
  terms: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Further text to hide, as regular expressions (JavaScript syntax, matched case-sensitively). */
  hidePatterns: z
    .array(
      z
        .string()
        .min(1)
        .refine(
          (source) => {
            try {
              new RegExp(source, 'g');
              return true;
            } catch {
              return false;
            }
          },
          { message: 'not a valid regular expression' },
        ),
    )
    .default([]),
});

export const reportSettingsSchema = z.strictObject({ customer: customerSchema.default(customerSchema.parse({})) });

export type ReportSettings = z.output<typeof reportSettingsSchema>;
export type CustomerReportSettings = ReportSettings['customer'];

/** The settings a playbook without a `report` block gets. */
export function defaultReportSettings(): ReportSettings {
  return reportSettingsSchema.parse({});
}
