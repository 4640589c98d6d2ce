import { describe, expect, it } from 'vitest';
import { echo as echoJournal } from '../../../src/journal/echo.js';
import { escapeControl } from '../../../src/words/input-text.js';

/**
 * Text from a journal or a playbook reaches a terminal and one-line messages. Both places that
 * echo it escape the same characters: controls, separators that start a new line, and the
 * invisible marks that reorder or hide what a reader sees (a right-to-left override can make
 * `region-a` read as `a-noiger` — or make a wrong name look right).
 */
const UNSAFE: [string, number][] = [
  ['NUL', 0x00],
  ['newline', 0x0a],
  ['carriage return', 0x0d],
  ['ESC (ANSI, OSC)', 0x1b],
  ['DEL', 0x7f],
  ['C1 CSI', 0x9b],
  ['arabic letter mark', 0x061c],
  ['left-to-right mark', 0x200e],
  ['right-to-left mark', 0x200f],
  ['line separator', 0x2028],
  ['paragraph separator', 0x2029],
  ['LRE', 0x202a],
  ['RLE', 0x202b],
  ['PDF', 0x202c],
  ['LRO', 0x202d],
  ['RLO', 0x202e],
  ['LRI', 0x2066],
  ['RLI', 0x2067],
  ['FSI', 0x2068],
  ['PDI', 0x2069],
  ['byte order mark', 0xfeff],
  ['lone surrogate', 0xd800],
];
const SAFE = ['région-ä', 'ledger 台帳', 'שלום', '🙂', 'a\u00a0b'];

describe.each([
  ['journal/echo.ts', (text: string) => echoJournal(text, 1000)],
  ['words/input-text.ts', escapeControl],
])('%s escapes every unsafe character', (_, escapeText) => {
  it.each(UNSAFE)('%s', (_name, code) => {
    const escaped = escapeText(`zone-${String.fromCharCode(code)}-a`);
    expect(escaped).not.toContain(String.fromCharCode(code));
    expect(escaped).toMatch(/^zone-\\(x|u)[0-9a-f]{2,4}-a$|^zone-\\[nrt]-a$/);
  });

  it('and leaves other text as it is', () => {
    for (const text of SAFE) expect(escapeText(text)).toBe(text);
  });
});
