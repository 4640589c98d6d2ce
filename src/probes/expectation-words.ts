import { escapeControl } from '../words/input-text.js';

/**
 * What a probe waits for, in words: the one place a probe's expectations become text. Every
 * probe's `describe` is built from these, and that line is what the plan shows for review,
 * what the terminal log prints when a step starts, and what the journal and the reports keep.
 * Nothing a probe checks is left out, and text from the playbook (a pattern, a needle, a URL,
 * a command) is shown with its control characters escaped (input-text.ts), so one line stays one line and
 * no terminal control sequence reaches a reader.
 */

/** Longer texts from the playbook are cut here, saying how much was left out. */
const SHOWN_MAX = 240;

/**
 * A pattern as a regular-expression literal: /^role:master\r?$/. Control characters are
 * written as escapes (\n, \x1b, \u202e), which a regular expression reads as the characters
 * themselves, so the pattern shown means what the playbook's pattern means.
 */
export function shownPattern(pattern: string): string {
  const { head, rest } = cut(pattern);
  return `/${escapeControl(head)}${rest}/${more(head, pattern)}`;
}

/** Literal text in double quotes, escaped as a JSON string and then of anything invisible left. */
export function shownText(text: string): string {
  const { head, rest } = cut(text);
  return `${escapeControl(JSON.stringify(`${head}${rest}`))}${more(head, text)}`;
}

/** Any value of a JSON expectation (string, number, boolean, null), as JSON. */
export function shownJson(value: string | number | boolean | null): string {
  return typeof value === 'string' ? shownText(value) : JSON.stringify(value);
}

/** Any other text from the playbook (a command, a URL, a JSON path, a probe's name), on one line. */
export function shownPlain(text: string): string {
  const { head, rest } = cut(text);
  return `${escapeControl(head)}${rest}${more(head, text)}`;
}

/** What a command must do: its exit code, and the output rules when there are any. */
export interface CommandExpectationWords {
  exitCode: number;
  outputContains?: string | undefined;
  outputMatches?: string | undefined;
}

/** "exit 0", "exit 0, output contains "PONG", output matches /^PONG$/". */
export function commandExpectationText(expect: CommandExpectationWords): string {
  const wanted = [`exit ${expect.exitCode}`];
  if (expect.outputContains !== undefined) wanted.push(`output contains ${shownText(expect.outputContains)}`);
  if (expect.outputMatches !== undefined) wanted.push(`output matches ${shownPattern(expect.outputMatches)}`);
  return wanted.join(', ');
}

export interface HttpExpectationWords {
  status?: number | readonly number[] | undefined;
  bodyContains?: string | undefined;
  bodyMatches?: string | undefined;
  json?: { path: string; equals?: string | number | boolean | null | undefined } | undefined;
  /** Already in words ("250ms"): the caller formats durations. */
  maxLatency?: string | undefined;
}

/** "200 or 204, body contains "ok", body matches /…/, JSON region = "b", within 250ms". */
export function httpExpectationText(expect: HttpExpectationWords): string {
  const { status, bodyContains, bodyMatches, json, maxLatency } = expect;
  const wanted = [status === undefined ? '2xx/3xx' : joinOr([status].flat().map(String))];
  if (bodyContains !== undefined) wanted.push(`body contains ${shownText(bodyContains)}`);
  if (bodyMatches !== undefined) wanted.push(`body matches ${shownPattern(bodyMatches)}`);
  if (json?.equals !== undefined) wanted.push(`JSON ${shownPlain(json.path)} = ${shownJson(json.equals)}`);
  else if (json) wanted.push(`JSON ${shownPlain(json.path)} present`);
  if (maxLatency !== undefined) wanted.push(`within ${maxLatency}`);
  return wanted.join(', ');
}

/** A named probe keeps its name and still says what it checks: "cache port open: TCP connect to …". */
export function namedProbeText(name: string, generated: string): string {
  return `${shownPlain(name)}: ${generated}`;
}

/** "200", "200 or 204", "200, 204 or 301". */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The first SHOWN_MAX characters, and "…" when there were more (never half a surrogate pair). */
function cut(text: string): { head: string; rest: '' | '…' } {
  if (text.length <= SHOWN_MAX) return { head: text, rest: '' };
  const end = /[\ud800-\udbff]/.test(text.charAt(SHOWN_MAX - 1)) ? SHOWN_MAX - 1 : SHOWN_MAX;
  return { head: text.slice(0, end), rest: '…' };
}

/** " (300 more characters)" after a cut text; nothing after a whole one. */
function more(head: string, text: string): string {
  return head.length === text.length ? '' : ` (${text.length - head.length} more characters)`;
}
