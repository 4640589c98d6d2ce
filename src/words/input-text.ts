/**
 * Text taken from a file someone gave us (keys, names, values, regexes) as it may appear in
 * a message. Messages are one line each (`file:line:column: message`) and go to a terminal,
 * so input is echoed only through these functions: control characters are escaped (a newline
 * in a key cannot start a new line; an ANSI or OSC sequence cannot reach the terminal) and
 * long text is cut (a million-character value is not repeated back whole).
 */

import { UNSAFE_TEXT } from './unsafe-text.js';

/** Code points longer than this are cut when echoed. */
export const MAX_ECHOED_LENGTH = 60;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters written as escapes (`\n`, `\x1b`, `\u202e`); everything else as is. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE_TEXT, escapeOne);
}

/** Text echoed without quotes (inside a sentence that marks it already): escaped and cut. */
export function echo(text: string, max = MAX_ECHOED_LENGTH): string {
  return escapeControl(cut(text, max));
}

/** Text as a quoted string in a message: `"web-eu"`, with `"` and `\` escaped, cut when long. */
export function quoted(text: string, max = MAX_ECHOED_LENGTH): string {
  return `"${escapeControl(cut(text, max).replace(/["\\]/g, '\\$&'))}"`;
}

/** At most `max` code points; a cut text ends in "…". Never splits a surrogate pair. */
export function cut(text: string, max = MAX_ECHOED_LENGTH): string {
  if (text.length <= max) return text;
  const points = Array.from(text.slice(0, 2 * max));
  return points.length <= max && text.length <= 2 * max ? text : `${points.slice(0, max - 1).join('')}…`;
}

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
