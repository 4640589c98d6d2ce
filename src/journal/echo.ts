/**
 * Text taken from a journal, made safe to put in a one-line message: control characters
 * (a newline, an ANSI or OSC escape sequence) are written as escapes, and a long value is cut.
 * A journal is input like any other: it may have been edited, truncated or replaced.
 */
export function echo(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
