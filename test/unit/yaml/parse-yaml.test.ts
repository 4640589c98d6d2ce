import { describe, expect, it } from 'vitest';
import { parseYaml, type YamlLimits } from '../../../src/yaml/parse-yaml.js';

const LIMITS: YamlLimits = { maxAddedByAliases: 1000, merge: false };

function problemsOf(source: string, limits: YamlLimits = LIMITS): string[] {
  return parseYaml(source, limits).problems.map(
    (p) => `${p.position.line}:${p.position.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`,
  );
}

describe('parseYaml', () => {
  it('gives the data when there is no problem, and nothing for an empty document', () => {
    expect(parseYaml('a: [1, 2]\nb: &x {c: 1}\nd: *x\n', LIMITS)).toMatchObject({
      problems: [],
      data: { a: [1, 2], b: { c: 1 }, d: { c: 1 } },
    });
    expect(parseYaml('# nothing\n', LIMITS).data).toBeNull();
  });

  it('reports every syntax problem with its position', () => {
    expect(problemsOf('a: 1\nb: 2\na: 3\nb: 4\n')).toEqual([
      '3:1: duplicate key "a" (first given on line 1; a key may appear once per mapping)',
      '4:1: duplicate key "b" (first given on line 2; a key may appear once per mapping)',
    ]);
    expect(problemsOf('\tkey: 1\n')).toEqual(['1:1: a tab is used for indentation (YAML indents with spaces only)']);
    expect(problemsOf('a: !secret x\n')).toEqual([
      '1:4: invalid YAML: unresolved tag: !secret (custom tags are not supported; remove the "!" tag)',
    ]);
    expect(problemsOf('key: value: other\n')).toEqual(['1:6: invalid YAML: nested mappings are not allowed in compact mappings']);
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefghij') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    // Level k holds 1 + 10 * (level k-1) values: 11, 111, … 1111111111; with the root map and
    // its ten keys that is 12345679021 values once expanded, 121 as written. The check must
    // answer at once.
    const started = performance.now();
    const problems = problemsOf(`${levels.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^2:8: the document's aliases expand it by 12345678900 values, more than the 1000 allowed/);
  });

  it('counts what aliases add, exactly at the limit', () => {
    // As written: 1 map + 2 keys + 1 list + 3 items + 1 alias = 8; expanded, the alias is
    // the list's 4 values: 11, so 3 added.
    const source = 'a: &l [1, 2, 3]\nb: *l\n';
    expect(problemsOf(source, { ...LIMITS, maxAddedByAliases: 3 })).toEqual([]);
    expect(problemsOf(source, { ...LIMITS, maxAddedByAliases: 2 })).toEqual([
      '2:4: the document\'s aliases expand it by 3 values, more than the 2 allowed (this looks like an alias bomb; use fewer "*alias" references)',
    ]);
  });

  it('does not take a large document without aliases for a bomb', () => {
    const source = Array.from({ length: 1500 }, (_, i) => `k${i}: ${i}`).join('\n');
    expect(problemsOf(source)).toEqual([]);
  });

  it('reports aliases without an anchor and aliases inside their own anchor', () => {
    expect(problemsOf('a: *nowhere\n')).toEqual(['1:4: alias "*nowhere" has no anchor (define "&nowhere" before using it)']);
    expect(problemsOf('a: &self [1, *self]\n')).toEqual(['1:14: alias "*self" refers to the node that contains it']);
  });

  it('honours merge keys only when asked', () => {
    const source = 'base: &b {image: x}\nweb:\n  <<: *b\n  ports: [80]\n';
    expect(parseYaml(source, { ...LIMITS, merge: true }).data).toEqual({ base: { image: 'x' }, web: { image: 'x', ports: [80] } });
    expect(parseYaml(source, LIMITS).data).toEqual({ base: { image: 'x' }, web: { '<<': { image: 'x' }, ports: [80] } });
  });
});

describe('where YAML problems are placed', () => {
  it('puts an unclosed "[" where it was opened, not at the end of the file', () => {
    const source = 'name: n\ntitle: t\nsummary: s\ntopology:\n  project: p\nsteps: []\nrollback: [always\n';
    expect(problemsOf(source)).toEqual([
      '7:11: invalid YAML: the list opened here with "[" is not closed (end it with "]", and indent the lines inside it more than the line it starts on)',
    ]);
    expect(problemsOf('a:\n  b: {c: 1\nd: 2\n')).toEqual([
      '2:6: invalid YAML: the mapping opened here with "{" is not closed (end it with "}", and indent the lines inside it more than the line it starts on)',
    ]);
  });

  it('puts an unclosed quote where it was opened', () => {
    expect(problemsOf('a: 1\nb: "never closed\nc: 3\n')).toEqual([
      '2:4: invalid YAML: the string opened here with " is not closed (end it with ")',
    ]);
    expect(problemsOf("a: 'never closed\n")).toEqual(["1:4: invalid YAML: the string opened here with ' is not closed (end it with ')"]);
  });

  it('places every problem on a line the file has, within that line', () => {
    // Line 2 has 8 characters: yaml's line counter once put the ":" of line 3 at 2:18.
    expect(problemsOf('    inject:\ntitle: T\n    wait:\n')).toEqual([
      '2:1: invalid YAML: unexpected scalar at node end',
      '2:6: invalid YAML: unexpected ":"',
      '2:8: invalid YAML: unexpected "T\\n    wait"',
      '3:9: invalid YAML: unexpected ":"',
    ]);
  });

  it('moves a problem yaml places on the blank end of a line to the token at fault', () => {
    // A stray "[" at the start of the value's first line: yaml points after "run:".
    expect(problemsOf('steps:\n  - name: x\n    run:\n  [    kind: revert\n')[0]).toMatch(/^4:3: /);
  });

  it('names where a misaligned collection begins, since either item may be the one out of line', () => {
    expect(problemsOf('x:\n     probe: 1\n    every: 2\n')).toEqual([
      '3:5: invalid YAML: all mapping items must start at the same column (its first item is at line 2, column 6; indent every item to the same column)',
    ]);
  });

  it('refuses nesting deeper than any playbook needs, at once', () => {
    const deep = `a: ${'['.repeat(300)}${']'.repeat(300)}\n`;
    expect(problemsOf(deep)).toEqual([
      '1:203: the document nests more than 200 levels deep here (no playbook or compose file needs that many)',
    ]);
  });

  it('refuses more tokens than allowed before parsing them', () => {
    const source = `a: [${Array.from({ length: 100 }, () => 'x').join(', ')}]\n`;
    expect(problemsOf(source, { ...LIMITS, maxTokens: 50 })).toEqual([
      '1:1: the document holds more than 50 YAML tokens (keys, values and punctuation), more than firedrill reads (is this the right file?)',
    ]);
    expect(problemsOf(source, { ...LIMITS, maxTokens: 1000 })).toEqual([]);
  });
});

describe('problems the document can be read despite', () => {
  it('gives the data with the first of repeated keys, so what it says can still be checked', () => {
    const parsed = parseYaml('a: 1\nb: {x: 1, x: 2}\na: 3\n', LIMITS);
    expect(parsed.problems.map((p) => [p.position, p.recoverable])).toEqual([
      [{ line: 2, column: 11 }, true],
      [{ line: 3, column: 1 }, true],
    ]);
    expect(parsed.data).toEqual({ a: 1, b: { x: 1 } });
  });

  it('reads the first of several documents, and an unknown tag as its text', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n', LIMITS)).toMatchObject({ data: { a: 1 }, problems: [{ recoverable: true }] });
    expect(parseYaml('a: !secret x\n', LIMITS)).toMatchObject({ data: { a: 'x' }, problems: [{ recoverable: true }] });
  });

  it('gives no data after a syntax error', () => {
    expect(parseYaml('a: [1\n', LIMITS).data).toBeUndefined();
  });

  it('keeps "__proto__" a plain key and shares an aliased node, as yaml does', () => {
    const data = parseYaml('__proto__: {polluted: true}\nx: &m {k: 1}\ny: *m\n', LIMITS).data as Record<string, { k: number }>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__', 'x', 'y']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(data.y).toBe(data.x);
  });

  it('merges "<<" keys with explicit keys winning, earlier merged maps over later ones', () => {
    const source = 'a: &a {k: a, only-a: 1}\nb: &b {k: b, only-b: 2}\nc:\n  k: own\n  <<: [*a, *b]\n';
    expect(parseYaml(source, { ...LIMITS, merge: true }).data).toMatchObject({ c: { k: 'own', 'only-a': 1, 'only-b': 2 } });
    expect(parseYaml('a: &a {k: a}\nc:\n  <<: [*a]\n  k: own\n', { ...LIMITS, merge: true }).data).toMatchObject({ c: { k: 'own' } });
    expect(parseYaml('a: &a {k: a}\nb: &b {k: b}\nc: {<<: [*b, *a]}\n', { ...LIMITS, merge: true }).data).toMatchObject({ c: { k: 'b' } });
  });
});
