import { UNSAFE_TEXT } from '../words/unsafe-text.js';

/**
 * Text taken from a journal, made safe to put in a one-line message: control characters
 * (a newline, an ANSI or OSC escape sequence), line and paragraph separators, the invisible
 * marks that reorder or hide what a reader sees (bidirectional overrides, embeddings and
 * isolates, direction marks, the byte order mark) and lone surrogates are written as escapes,
 * and a long value is cut. A journal is input like any other: it may have been edited,
 * truncated or replaced. The characters are the ones every echo of input escapes (unsafe-text.ts).
 */

export function echo(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;
  return cut.replace(UNSAFE_TEXT, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
