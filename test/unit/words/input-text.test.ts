import { describe, expect, it } from 'vitest';
import { cut, echo, escapeControl, quoted } from '../../../src/words/input-text.js';
import { withArticle } from '../../../src/playbook/schema-issues.js';

describe('text from the input, as messages echo it', () => {
  it('escapes what would break the line or reach the terminal raw', () => {
    expect(escapeControl('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(escapeControl('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeControl('\u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('\\x1b]8;;http://x\\x07link\\x1b]8;;\\x07');
    // DEL and the 8-bit CSI; line and paragraph separators; a bidi override; a lone surrogate.
    expect(escapeControl('\u007f\u009b2J\u2028\u2029\u202eevil\ud800')).toBe('\\x7f\\x9b2J\\u2028\\u2029\\u202eevil\\ud800');
    expect(escapeControl('plain text, ünïcödé and 🚒')).toBe('plain text, ünïcödé and 🚒');
  });

  it('quotes with " and \\ escaped, and cuts long text', () => {
    expect(quoted('web-eu')).toBe('"web-eu"');
    expect(quoted('say "hi"\\now')).toBe('"say \\"hi\\"\\\\now"');
    expect(quoted('x'.repeat(1_000_000))).toBe(`"${'x'.repeat(59)}…"`);
    expect(quoted('abcdef', 4)).toBe('"abc…"');
    expect(echo('a\nb'.repeat(50), 5)).toBe('a\\nba…');
  });

  it('cuts by characters, never inside a surrogate pair', () => {
    expect(cut('🚒'.repeat(10), 4)).toBe('🚒🚒🚒…');
    expect(cut('🚒'.repeat(4), 4)).toBe('🚒🚒🚒🚒');
    expect(cut('short')).toBe('short');
  });
});

describe('articles in messages', () => {
  it('says "an" before a vowel sound', () => {
    expect(['action', 'allowed', 'fault', 'probe', 'integer', 'unit', 'url', 'undefined', 'hour'].map(withArticle)).toEqual([
      'an action',
      'an allowed',
      'a fault',
      'a probe',
      'an integer',
      'a unit',
      'a url',
      'an undefined',
      'an hour',
    ]);
  });
});
