import type { z } from 'zod';
import type { ExecResult } from '../engine/ports.js';
import type { commandExpectation } from '../spec/common.js';
import { escapeControl } from '../words/input-text.js';
import { joinOr, shownPattern } from './expectation-words.js';

/**
 * The pure half of probes and actions: does an observation meet its expectation, and the
 * few words that say why not. Nothing here performs I/O, so every rule is unit-tested here.
 */

export type CommandExpectation = z.output<typeof commandExpectation>;

/** The verdict of one expectation; `reason` says in a few words why it does not hold. */
export interface Check {
  ok: boolean;
  reason?: string;
}

const HOLDS: Check = { ok: true };

function fails(reason: string): Check {
  return { ok: false, reason };
}

/** The first check that does not hold, or a passing check when they all hold. */
export function firstFailure(checks: readonly Check[]): Check {
  return checks.find((check) => !check.ok) ?? HOLDS;
}

/** An HTTP status against one status, a list, or (when undefined) any 2xx or 3xx. */
export function checkStatus(status: number, expected: number | readonly number[] | undefined): Check {
  if (expected === undefined) return status >= 200 && status <= 399 ? HOLDS : fails('expected 2xx or 3xx');
  const allowed = typeof expected === 'number' ? [expected] : expected;
  return allowed.includes(status) ? HOLDS : fails(`expected ${joinOr(allowed.map(String))}`);
}

export function checkBodyContains(body: string, needle: string | undefined): Check {
  if (needle === undefined || body.includes(needle)) return HOLDS;
  return fails(`body lacks ${quote(needle)}`);
}

export function checkBodyMatches(body: string, pattern: string | undefined): Check {
  return checkPattern('body', body, pattern);
}

/** Latency against an upper limit; no limit always holds. The limit itself is allowed. */
export function checkLatency(latencyMs: number, maxLatencyMs: number | undefined): Check {
  if (maxLatencyMs === undefined || latencyMs <= maxLatencyMs) return HOLDS;
  return fails(`took ${formatMs(latencyMs)} (limit ${formatMs(maxLatencyMs)})`);
}

export type JsonLookup = { found: true; value: unknown } | { found: false; missing: string };

/**
 * Splits "items.0.id" or "items[0].id" into ["items", "0", "id"].
 * Returns undefined for a malformed path (empty segment, unbalanced bracket).
 */
export function parseJsonPath(path: string): string[] | undefined {
  const segments: string[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    const [, name = '', indices = ''] = match;
    if (name === '' && indices === '') return undefined;
    if (name !== '') segments.push(name);
    for (const index of indices.matchAll(/\[(\d+)\]/g)) segments.push(index[1] ?? '');
  }
  return segments;
}

/** Follows a dotted path through objects (own keys) and arrays (decimal indices). */
export function lookupJsonPath(document: unknown, path: string): JsonLookup {
  const segments = parseJsonPath(path);
  if (!segments) return { found: false, missing: path };
  let current: unknown = document;
  for (const [depth, segment] of segments.entries()) {
    const next = childOf(current, segment);
    if (!next.present) return { found: false, missing: segments.slice(0, depth + 1).join('.') };
    current = next.value;
  }
  return { found: true, value: current };
}

function childOf(value: unknown, segment: string): { present: boolean; value?: unknown } {
  if (Array.isArray(value)) {
    if (!/^\d+$/.test(segment)) return { present: false };
    const index = Number(segment);
    return index < value.length ? { present: true, value: value[index] } : { present: false };
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) {
    return { present: true, value: (value as Record<string, unknown>)[segment] };
  }
  return { present: false };
}

export interface JsonExpectation {
  path: string;
  /** When absent, the field only has to exist (null counts as existing). */
  equals?: string | number | boolean | null;
}

/** A field of a JSON body: present, and strictly equal to `equals` when given (no coercion). */
export function checkJson(body: string, expect: JsonExpectation | undefined): Check {
  if (expect === undefined) return HOLDS;
  if (!parseJsonPath(expect.path)) return fails(`invalid JSON path ${quote(expect.path)}`);
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return fails('body is not JSON');
  }
  const lookup = lookupJsonPath(document, expect.path);
  if (!lookup.found) return fails(`JSON has no ${quote(lookup.missing)}`);
  if (expect.equals === undefined || lookup.value === expect.equals) return HOLDS;
  return fails(`JSON ${quote(expect.path)} is ${showJson(lookup.value)} (expected ${showJson(expect.equals)})`);
}

/** A command's outcome: exit code first, then the output rules on stdout and stderr together. */
export function checkCommandResult(result: ExecResult, expect: CommandExpectation): Check {
  if (result.exitCode !== expect.exitCode) return fails(`exit ${result.exitCode} (expected ${expect.exitCode})`);
  const output = combinedOutput(result);
  if (expect.outputContains !== undefined && !output.includes(expect.outputContains)) {
    return fails(`output lacks ${quote(expect.outputContains)}`);
  }
  return checkPattern('output', output, expect.outputMatches);
}

/**
 * One line for a command's outcome: "exit 0", "exit 1 (expected 0): NOAUTH …",
 * "exit 0, output lacks \"PONG\": Error …". The excerpt is the output's first line.
 */
export function describeCommandOutcome(result: ExecResult, check: Check): string {
  const { head, excerpt } = commandOutcomeParts(result, check);
  return excerpt ? `${head}: ${excerpt}` : head;
}

/** The two halves of describeCommandOutcome, for callers that put words between them. */
export function commandOutcomeParts(result: ExecResult, check: Check): { head: string; excerpt: string } {
  if (check.ok) return { head: `exit ${result.exitCode}`, excerpt: '' };
  const reason = check.reason ?? 'failed';
  const head = reason.startsWith('exit ') ? reason : `exit ${result.exitCode}, ${reason}`;
  return { head, excerpt: firstLine(combinedOutput(result)) };
}

export function combinedOutput(result: Pick<ExecResult, 'stdout' | 'stderr'>): string {
  if (result.stdout && result.stderr) return `${result.stdout}\n${result.stderr}`;
  return result.stdout || result.stderr;
}

function checkPattern(what: string, text: string, pattern: string | undefined): Check {
  if (pattern === undefined) return HOLDS;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return fails(`invalid pattern ${shownPattern(pattern)}: ${(error as Error).message}`);
  }
  return regex.test(text) ? HOLDS : fails(`${what} does not match ${shownPattern(pattern)}`);
}

/**
 * Milliseconds for people, rounded up so a figure never looks better than it was:
 * 0.2 → "1ms", 12.1 → "13ms", 2000 → "2s", 2000.4 → "2.01s".
 */
export function formatMs(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const seconds = Math.ceil(ms / 10) / 100;
  return `${seconds.toFixed(2).replace(/\.?0+$/, '')}s`;
}

/** A command as a person would type it: the script of `sh -c`, else arguments quoted as needed. */
export function formatCommand(argv: readonly string[]): string {
  if (argv.length === 3 && argv[0] === 'sh' && argv[1] === '-c') return argv[2] ?? '';
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** The first non-empty line of some output, trimmed and shortened. */
export function firstLine(text: string, max = 80): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return shorten(line.trim(), max);
}

/** Keeps at most `max` characters and says how many were dropped. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export function quote(text: string): string {
  return escapeControl(JSON.stringify(shorten(text, 60)));
}

export { joinOr };

function showJson(value: unknown): string {
  return shorten(JSON.stringify(value) ?? String(value), 60);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
