import { describe, expect, it } from 'vitest';
import { parseYaml, type YamlLimits } from '../../../src/playbook/parse-yaml.js';

const LIMITS: YamlLimits = { maxAddedByAliases: 1000, maxAliasCount: 100, merge: false };

function problemsOf(source: string, limits: YamlLimits = LIMITS): string[] {
  return parseYaml(source, limits).problems.map((p) => `${p.position.line}:${p.position.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
}

describe('parseYaml', () => {
  it('gives the data when there is no problem, and nothing for an empty document', () => {
    expect(parseYaml('a: [1, 2]\nb: &x {c: 1}\nd: *x\n', LIMITS)).toMatchObject({ problems: [], data: { a: [1, 2], b: { c: 1 }, d: { c: 1 } } });
    expect(parseYaml('# nothing\n', LIMITS).data).toBeNull();
  });

  it('reports every syntax problem with its position', () => {
    expect(problemsOf('a: 1\nb: 2\na: 3\nb: 4\n')).toEqual([
      '3:1: duplicate key "a" (first given on line 1; a key may appear once per mapping)',
      '4:1: duplicate key "b" (first given on line 2; a key may appear once per mapping)',
    ]);
    expect(problemsOf('\tkey: 1\n')).toEqual(['1:1: a tab is used for indentation (YAML indents with spaces only)']);
    expect(problemsOf('a: !secret x\n')).toEqual(['1:4: invalid YAML: unresolved tag: !secret (custom tags are not supported; remove the "!" tag)']);
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
