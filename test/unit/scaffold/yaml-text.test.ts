import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commented, folded, scalar, wrap, yamlLines } from '../../../src/scaffold/yaml-text.js';

describe('yamlLines', () => {
  it('writes what parses back to the same data, comments and all', () => {
    const tricky = [
      'yes',
      'No',
      'null',
      '~',
      '1.5',
      '017',
      '0x1F',
      '.inf',
      '1m',
      '../compose.yaml',
      'a: b',
      'a #b',
      "it's",
      '-x',
      '@at',
      'a,b',
      '[x]',
      'trailing ',
      '"q"',
      'ünïcode',
    ];
    const data = {
      name: 'starter',
      tricky,
      nested: { list: [{ kind: 'http', url: 'http://127.0.0.1:8080/' }, ['a', 'b'], 'plain'], empty: {}, none: [] },
      count: 3,
      flag: true,
    };
    const text = yamlLines({
      ...data,
      nested: commented(
        ['why', 'and a very long comment that has to be wrapped because it is longer than the width of ninety-six characters'],
        data.nested,
      ),
    }).join('\n');
    expect(parse(text)).toEqual(data);
    expect(text).toContain('\n# why\n# and a very long comment');
    const comments = text.split('\n').filter((line) => line.trimStart().startsWith('#'));
    expect(comments.every((line) => line.length <= 96)).toBe(true);
  });

  it('folds long prose and keeps its words', () => {
    const prose = 'Every service of region a stops at once, as in a power cut in its data centre. '.repeat(3).trim();
    const lines = yamlLines({ summary: folded(prose) });
    expect(lines[0]).toBe('summary: >-');
    expect(parse(lines.join('\n'))).toEqual({ summary: prose });
  });

  it("puts a list item's comment above its dash", () => {
    expect(yamlLines({ steps: [commented('first', { name: 'a', run: { kind: 'start' } })] })).toEqual([
      'steps:',
      '  # first',
      '  - name: a',
      '    run:',
      '      kind: start',
    ]);
  });
});

describe('scalar and wrap', () => {
  it('leaves plain what reads as itself', () => {
    expect(['web-a', '30s', '/var/cache/nginx', "web-a's cache"].map(scalar)).toEqual([
      'web-a',
      '30s',
      '/var/cache/nginx',
      "web-a's cache",
    ]);
    expect(scalar('true')).toBe('"true"');
    expect(scalar(42)).toBe('42');
  });

  it('wraps at the width, a long word alone on its line', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });
});
