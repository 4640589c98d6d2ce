import { z } from 'zod';
import { trimZeros } from '../words/number-words.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';

/** Parses "250ms", "30s", "2m", "1m30s", "1.5s" into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!new RegExp(DURATION_PATTERN).test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** Renders milliseconds the way a person would write them back ("1m30s", "250ms"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}

/** A human duration string in YAML, milliseconds after parsing. */
export function duration(opts: { min?: number; max?: number } = {}) {
  const { min = 0, max = 24 * 3_600_000 } = opts;
  return z
    .string()
    .regex(new RegExp(DURATION_PATTERN), { message: 'expected a duration such as "250ms", "30s", "2m" or "1m30s"' })
    .transform((text, ctx) => {
      const ms = parseDuration(text) ?? NaN;
      if (ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(min)} and ${formatDuration(max)}` });
        return z.NEVER;
      }
      return ms;
    });
}
