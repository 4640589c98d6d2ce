import { z } from 'zod';
import { trimZeros } from '../words/number-words.js';

/**
 * Sizes as people write them in a playbook: "64m", "1.5g", "512KiB". Every unit is a power of
 * 1024, as in Docker's `--memory` and compose's `mem_limit` ("1m" is 1 MiB, never 10^6), and
 * "b", "kb" and "kib" all mean the same. A unit is required: a bare "64" is more likely a
 * mistake than 64 bytes.
 */

const UNIT_BYTES = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 } as const;
export const BYTE_SIZE_PATTERN = '^\\d+(\\.\\d+)?([bB]|[kKmMgGtT]([iI]?[bB])?)$';

/** Parses "64m", "1.5g", "512KiB" into bytes (rounded down); undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const trimmed = text.trim();
  if (!new RegExp(BYTE_SIZE_PATTERN).test(trimmed)) return undefined;
  const [, amount = '', unit = ''] = /^([\d.]+)([a-zA-Z])/.exec(trimmed) ?? [];
  return Math.floor(Number(amount) * UNIT_BYTES[unit.toLowerCase() as keyof typeof UNIT_BYTES]);
}

/** "64 MiB", "1.5 GiB", "900 bytes": for plans and messages. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ];
  for (const [name, size] of units) {
    if (bytes >= size) return `${trimZeros((bytes / size).toFixed(2))} ${name}`;
  }
  return `${bytes} bytes`;
}

/** A size string in YAML, bytes after parsing. */
export function byteSize(opts: { min?: number; max?: number } = {}) {
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = opts;
  return z
    .string()
    .regex(new RegExp(BYTE_SIZE_PATTERN), { message: 'expected a size such as "64m", "512k", "1.5g" (powers of 1024)' })
    .transform((text, ctx) => {
      const bytes = parseByteSize(text) ?? NaN;
      if (!(bytes >= min && bytes <= max)) {
        ctx.addIssue({ code: 'custom', message: `must be between ${formatBytes(min)} and ${formatBytes(max)}` });
        return z.NEVER;
      }
      return bytes;
    });
}
