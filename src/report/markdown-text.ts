/**
 * Putting text that came from a playbook, a probe or a container into Markdown without it
 * turning into markup: what a service printed must read as what it printed. The inline pieces
 * live in words/markdown-text.ts, where the sentences' Markdown style finds them too.
 */
import { longestRun, printable } from '../words/markdown-text.js';

/** A fenced code block whose fence is longer than any backtick run in the text. */
export function codeBlock(text: string, language = ''): string {
  const body = printable(text).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** A Markdown table; cells are taken as already-formatted Markdown. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** At most `max` lines of `text`, saying how many were left out. */
export function firstLines(text: string, max: number): { text: string; omitted: number } {
  const lines = text.replace(/\n+$/, '').split('\n');
  if (lines.length <= max) return { text: lines.join('\n'), omitted: 0 };
  return { text: lines.slice(0, max).join('\n'), omitted: lines.length - max };
}
