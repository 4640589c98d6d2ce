import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/topology/compose-dotenv.js';
import { interpolate, InterpolationError } from '../../../src/topology/compose-interpolation.js';
import { mergeServices } from '../../../src/topology/compose-service-merge.js';
import { shellWords } from '../../../src/topology/shell-words.js';

const env = (values: Record<string, string>) => (name: string) => (Object.hasOwn(values, name) ? values[name] : undefined);

describe('interpolate (compose v2 rules)', () => {
  const lookup = env({ SET: 'value', EMPTY: '', PORT: '8080' });

  it('replaces $VAR and ${VAR}; an unset one becomes "" and is reported', () => {
    expect(interpolate('$SET-${SET}:$PORT', lookup)).toEqual({ text: 'value-value:8080', unset: [], defaulted: [] });
    expect(interpolate('a${NOPE}b$NOPE', lookup)).toEqual({ text: 'ab', unset: ['NOPE'], defaulted: [] });
  });

  it('tells unset from empty: ":-" and "-", ":+" and "+"', () => {
    expect(interpolate('${EMPTY:-d}|${EMPTY-d}|${NOPE-d}|${SET:-d}', lookup).text).toBe('d||d|value');
    expect(interpolate('${EMPTY:+alt}|${EMPTY+alt}|${NOPE+alt}|${SET:+alt}', lookup).text).toBe('|alt||alt');
  });

  it('reads defaults that hold further variables, and $$ as a literal $', () => {
    expect(interpolate('${NOPE:-${ALSO_NOPE:-./conf}}:/etc/x:ro', lookup)).toEqual({
      text: './conf:/etc/x:ro',
      unset: [],
      defaulted: ['ALSO_NOPE', 'NOPE'],
    });
    expect(interpolate('$$HOME costs $$5, ${NOPE:-$$}', lookup).text).toBe('$HOME costs $5, $');
    expect(interpolate('100$ and $ 1', lookup).text).toBe('100$ and $ 1');
  });

  it('refuses a required variable that is unset (":?" also when empty) with its message', () => {
    expect(() => interpolate('${EMPTY:?give EMPTY a value}', lookup)).toThrow(
      new InterpolationError('required variable EMPTY is missing a value: give EMPTY a value'),
    );
    expect(interpolate('${EMPTY?must be set}', lookup).text).toBe('');
    expect(() => interpolate('${NOPE?}', lookup)).toThrow('required variable NOPE is missing a value');
  });

  it('refuses malformed ${…} as compose does', () => {
    expect(() => interpolate('${}', lookup)).toThrow(InterpolationError);
    expect(() => interpolate('${SET', lookup)).toThrow(/not closed/);
    expect(() => interpolate('${SET!x}', lookup)).toThrow(/unknown operator/);
  });
});

describe('parseDotenv', () => {
  it('reads comments, export, quotes, inline comments, and variables defined above', () => {
    const text = [
      '# a comment',
      '',
      'export TAG=3.12',
      'PLAIN = spaced value   # a comment',
      "SINGLE='no $TAG here # not a comment'",
      'DOUBLE="line\\none ${TAG}"',
      'MULTI="first',
      'second"',
      'URL=https://example.test/#anchor',
      'FROM_ENV=${HOME_DIR:-/home}/app',
    ].join('\n');
    expect({ ...parseDotenv(text, env({ HOME_DIR: '/srv' })) }).toEqual({
      TAG: '3.12',
      PLAIN: 'spaced value',
      SINGLE: 'no $TAG here # not a comment',
      DOUBLE: 'line\none 3.12',
      MULTI: 'first\nsecond',
      URL: 'https://example.test/#anchor',
      FROM_ENV: '/srv/app',
    });
  });

  it('says which line is wrong', () => {
    expect(() => parseDotenv('OK=1\nnot a line\n', env({}))).toThrow('line 2: expected KEY=value');
    expect(() => parseDotenv('A="never closed\nB=2\n', env({}))).toThrow('line 1: the double quote is never closed');
  });
});

describe('shellWords', () => {
  it('splits as a POSIX shell would, without expanding anything', () => {
    expect(shellWords(`python -m orders.worker --queue "orders high" 'it''s' a\\ b "\\$HOME" $X`)).toEqual([
      'python',
      '-m',
      'orders.worker',
      '--queue',
      'orders high',
      'its',
      'a b',
      '$HOME',
      '$X',
    ]);
    expect(shellWords('  ')).toEqual([]);
    expect(shellWords(`sh -c ""`)).toEqual(['sh', '-c', '']);
  });
});

describe('mergeServices (extends)', () => {
  it('merges mappings and list forms, replaces commands and healthcheck tests, merges mounts by target', () => {
    const base = {
      image: 'python:3.12',
      command: ['python', 'app.py'],
      environment: ['A=1', 'B=2'],
      labels: { tier: 'app' },
      depends_on: ['db'],
      healthcheck: { test: ['CMD', 'true'], interval: '5s' },
      volumes: ['./data:/data', 'logs:/logs'],
      ports: ['8000:8000'],
    };
    const local = {
      command: 'gunicorn app',
      environment: { B: '3', C: '4' },
      labels: ['role=api'],
      depends_on: { cache: { condition: 'service_healthy' } },
      healthcheck: { test: 'curl -f localhost' },
      volumes: ['/srv/data:/data:ro'],
      ports: ['8000:8000', '9000:9000'],
    };
    expect(mergeServices(base, local)).toEqual({
      image: 'python:3.12',
      command: 'gunicorn app',
      environment: { A: '1', B: '3', C: '4' },
      labels: { tier: 'app', role: 'api' },
      depends_on: { db: { condition: 'service_started' }, cache: { condition: 'service_healthy' } },
      healthcheck: { test: 'curl -f localhost', interval: '5s' },
      volumes: ['logs:/logs', '/srv/data:/data:ro'],
      ports: ['8000:8000', '9000:9000'],
    });
  });
});
