/**
 * Putting text that came from a playbook, a probe or a container into Markdown without it
 * turning into markup: what a service printed must read as what it printed. Here, below the
 * sentences, so that the Markdown style of a sentence and the report's layout escape alike.
 */

/** Inline text: one line, with Markdown's active characters escaped (tables included). */
export function inline(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|#~]/g, (ch) => `\\${ch}`);
}

/** Text from elsewhere in typographic quotes: “Shop answers again”. */
export function quoted(text: string): string {
  return `“${inline(text)}”`;
}

/** "Step 2", "Restore step 1". */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An inline code span that survives backticks inside the text. */
export function code(text: string): string {
  const flat = oneLine(text);
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Text without terminal colour codes or control characters other than newline and tab. */
export function printable(text: string): string {
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Printable text on one line: newlines and tabs become spaces, the ends trimmed. */
export function oneLine(text: string): string {
  return printable(text)
    .replace(/[\n\t]+/g, ' ')
    .trim();
}

export function longestRun(text: string, ch: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === ch ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
