import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatPath, LineIndex, positionOf, type YamlPath } from '../../../src/yaml/positions.js';

function at(source: string, path: YamlPath, where?: 'key' | 'value'): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const { line, column } = positionOf(doc, lineCounter, path, where);
  return `${line}:${column}`;
}

const SOURCE = `# a comment first
name: demo
steps:
  - name: one
    wait:
      probe: { kind: tcp, port: 80 }
      every:
  - name: two
    pause: 1s
probe: &p
  kind: http
again: *p
`;

describe('positionOf', () => {
  it('points at a value, or at its key when asked', () => {
    expect(at(SOURCE, ['name'])).toBe('2:7');
    expect(at(SOURCE, ['name'], 'key')).toBe('2:1');
    expect(at(SOURCE, ['steps', 1, 'pause'])).toBe('9:12');
  });

  it('walks lists by index and flow mappings', () => {
    expect(at(SOURCE, ['steps', 0])).toBe('4:5');
    expect(at(SOURCE, ['steps', 0, 'wait', 'probe', 'port'])).toBe('6:33');
    expect(at(SOURCE, ['steps', 0, 'wait', 'probe', 'port'], 'key')).toBe('6:27');
  });

  it('points at the key when the value is empty', () => {
    expect(at(SOURCE, ['steps', 0, 'wait', 'every'])).toBe('7:7');
  });

  it('falls back to the nearest existing ancestor: its key, or where a list item starts', () => {
    expect(at(SOURCE, ['steps', 0, 'wait', 'timeout'])).toBe('5:5');
    expect(at(SOURCE, ['steps', 0, 'wait', 'probe', 'nothing', 'deeper'])).toBe('6:7');
    expect(at(SOURCE, ['steps', 1, 'name', 'x'])).toBe('8:5');
    expect(at(SOURCE, ['steps', 7])).toBe('3:1');
  });

  it('follows an alias into the node it names', () => {
    expect(at(SOURCE, ['again'])).toBe('12:8');
    expect(at(SOURCE, ['again', 'kind'])).toBe('11:9');
  });

  it('answers the document start for the root and 1:1 for an empty document', () => {
    expect(at(SOURCE, [])).toBe('2:1');
    expect(at('', ['name'])).toBe('1:1');
  });
});

describe('formatPath', () => {
  it('writes paths the way a person would refer to them', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['steps', 2, 'wait', 'every'])).toBe('steps[2].wait.every');
    expect(formatPath(['topology', 'regions', 'eu west', 0])).toBe('topology.regions["eu west"][0]');
    expect(formatPath(['steadyState', 'probes', 0, 'expect'])).toBe('steadyState.probes[0].expect');
  });
});

describe('LineIndex', () => {
  it('gives 1-based positions, and puts the end of the file on its last line', () => {
    const lines = new LineIndex('ab\ncd\n');
    expect([0, 1, 2, 3, 5, 6, 99].map((offset) => lines.linePos(offset))).toEqual([
      { line: 1, col: 1 },
      { line: 1, col: 2 },
      { line: 1, col: 3 },
      { line: 2, col: 1 },
      { line: 2, col: 3 },
      // The end of a file that ends in a newline is the end of its last line, not a line 3.
      { line: 2, col: 3 },
      { line: 2, col: 3 },
    ]);
    expect(new LineIndex('').linePos(0)).toEqual({ line: 1, col: 1 });
    expect(new LineIndex('x').linePos(5)).toEqual({ line: 1, col: 2 });
    expect(new LineIndex('\n\n').linePos(2)).toEqual({ line: 2, col: 1 });
  });
});
