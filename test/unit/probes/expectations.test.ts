import { describe, expect, it } from 'vitest';
import {
  capText,
  checkBodyContains,
  checkBodyMatches,
  checkCommandResult,
  checkJson,
  checkLatency,
  checkStatus,
  combinedOutput,
  commandOutcomeParts,
  describeCommandOutcome,
  firstFailure,
  firstLine,
  formatCommand,
  formatMs,
  joinOr,
  lookupJsonPath,
  parseJsonPath,
} from '../../../src/probes/expectations.js';

describe('checkStatus', () => {
  it('accepts any 2xx or 3xx by default and nothing else', () => {
    for (const status of [200, 204, 299, 301, 302, 399]) expect(checkStatus(status, undefined)).toEqual({ ok: true });
    for (const status of [100, 199, 400, 404, 500, 503]) {
      expect(checkStatus(status, undefined)).toEqual({ ok: false, reason: 'expected 2xx or 3xx' });
    }
  });

  it('compares with one status exactly', () => {
    expect(checkStatus(200, 200).ok).toBe(true);
    expect(checkStatus(204, 200)).toEqual({ ok: false, reason: 'expected 200' });
    expect(checkStatus(503, 503).ok).toBe(true);
  });

  it('accepts any status of a list and names them all when none matches', () => {
    expect(checkStatus(204, [200, 204]).ok).toBe(true);
    expect(checkStatus(500, [200, 204, 301])).toEqual({ ok: false, reason: 'expected 200, 204 or 301' });
  });
});

describe('body checks', () => {
  it('bodyContains is a plain, case-sensitive substring test', () => {
    expect(checkBodyContains('status: ok', 'ok').ok).toBe(true);
    expect(checkBodyContains('status: OK', 'ok')).toEqual({ ok: false, reason: 'body lacks "ok"' });
    expect(checkBodyContains('a.b', '.').ok).toBe(true);
    expect(checkBodyContains('', undefined).ok).toBe(true);
  });

  it('bodyMatches is a regular expression, unanchored', () => {
    expect(checkBodyMatches('region=b-2', 'region=b-\\d').ok).toBe(true);
    expect(checkBodyMatches('region=a', '^region=b')).toEqual({ ok: false, reason: 'body does not match /^region=b/' });
    expect(checkBodyMatches('x', undefined).ok).toBe(true);
  });

  it('an invalid pattern fails with a reason instead of throwing', () => {
    const check = checkBodyMatches('anything', '([');
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/^invalid pattern \/\(\[\/: /);
  });
});

describe('parseJsonPath and lookupJsonPath', () => {
  it('splits dotted paths and bracketed indices alike', () => {
    expect(parseJsonPath('region')).toEqual(['region']);
    expect(parseJsonPath('items.0.id')).toEqual(['items', '0', 'id']);
    expect(parseJsonPath('items[0].id')).toEqual(['items', '0', 'id']);
    expect(parseJsonPath('m[1][2]')).toEqual(['m', '1', '2']);
    expect(parseJsonPath('[3]')).toEqual(['3']);
  });

  it('rejects empty segments and unbalanced brackets', () => {
    for (const bad of ['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a]']) expect(parseJsonPath(bad)).toBeUndefined();
  });

  const doc = { region: 'b', ok: true, count: 0, none: null, items: [{ id: 7 }, { id: 8, tags: ['x'] }], nested: { deep: { v: 'z' } } };

  it('finds values through objects and arrays, falsy values included', () => {
    expect(lookupJsonPath(doc, 'region')).toEqual({ found: true, value: 'b' });
    expect(lookupJsonPath(doc, 'items.1.id')).toEqual({ found: true, value: 8 });
    expect(lookupJsonPath(doc, 'items[1].tags[0]')).toEqual({ found: true, value: 'x' });
    expect(lookupJsonPath(doc, 'nested.deep.v')).toEqual({ found: true, value: 'z' });
    expect(lookupJsonPath(doc, 'count')).toEqual({ found: true, value: 0 });
    expect(lookupJsonPath(doc, 'none')).toEqual({ found: true, value: null });
    expect(lookupJsonPath([1, 2], '1')).toEqual({ found: true, value: 2 });
  });

  it('reports the shortest missing prefix', () => {
    expect(lookupJsonPath(doc, 'missing.a')).toEqual({ found: false, missing: 'missing' });
    expect(lookupJsonPath(doc, 'items.5.id')).toEqual({ found: false, missing: 'items.5' });
    expect(lookupJsonPath(doc, 'items.first')).toEqual({ found: false, missing: 'items.first' });
    expect(lookupJsonPath(doc, 'region.length')).toEqual({ found: false, missing: 'region.length' });
    expect(lookupJsonPath(doc, 'none.x')).toEqual({ found: false, missing: 'none.x' });
  });

  it('does not see inherited properties', () => {
    expect(lookupJsonPath({}, 'constructor')).toEqual({ found: false, missing: 'constructor' });
    expect(lookupJsonPath({}, 'toString')).toEqual({ found: false, missing: 'toString' });
  });
});

describe('checkJson', () => {
  const body = JSON.stringify({ region: 'b', ready: true, replicas: 2, leader: null, items: [{ id: 'x' }] });

  it('holds when there is no JSON expectation, even for a non-JSON body', () => {
    expect(checkJson('<html>', undefined).ok).toBe(true);
  });

  it('checks existence when no value is given', () => {
    expect(checkJson(body, { path: 'leader' }).ok).toBe(true);
    expect(checkJson(body, { path: 'items.0.id' }).ok).toBe(true);
    expect(checkJson(body, { path: 'items.1.id' })).toEqual({ ok: false, reason: 'JSON has no "items.1"' });
  });

  it('compares strictly, without coercion', () => {
    expect(checkJson(body, { path: 'region', equals: 'b' }).ok).toBe(true);
    expect(checkJson(body, { path: 'ready', equals: true }).ok).toBe(true);
    expect(checkJson(body, { path: 'replicas', equals: 2 }).ok).toBe(true);
    expect(checkJson(body, { path: 'leader', equals: null }).ok).toBe(true);
    expect(checkJson(body, { path: 'replicas', equals: '2' })).toEqual({ ok: false, reason: 'JSON "replicas" is 2 (expected "2")' });
    expect(checkJson(body, { path: 'region', equals: 'a' })).toEqual({ ok: false, reason: 'JSON "region" is "b" (expected "a")' });
    expect(checkJson(body, { path: 'ready', equals: 'true' }).ok).toBe(false);
    expect(checkJson(body, { path: 'items', equals: 'x' })).toEqual({ ok: false, reason: 'JSON "items" is [{"id":"x"}] (expected "x")' });
  });

  it('fails on a body that is not JSON and on a malformed path', () => {
    expect(checkJson('not json', { path: 'a' })).toEqual({ ok: false, reason: 'body is not JSON' });
    expect(checkJson(body, { path: 'a..b' })).toEqual({ ok: false, reason: 'invalid JSON path "a..b"' });
  });
});

describe('checkLatency', () => {
  it('allows the limit itself and fails above it, rounding the figure up', () => {
    expect(checkLatency(500, 500).ok).toBe(true);
    expect(checkLatency(12, undefined).ok).toBe(true);
    expect(checkLatency(500.2, 500)).toEqual({ ok: false, reason: 'took 501ms (limit 500ms)' });
    expect(checkLatency(2500, 1000)).toEqual({ ok: false, reason: 'took 2.5s (limit 1s)' });
  });
});

describe('checkCommandResult and describeCommandOutcome', () => {
  const expectZero = { exitCode: 0 };

  it('checks the exit code first', () => {
    const result = { exitCode: 1, stdout: '', stderr: 'NOAUTH Authentication required.\nmore' };
    const check = checkCommandResult(result, { exitCode: 0, outputContains: 'PONG' });
    expect(check).toEqual({ ok: false, reason: 'exit 1 (expected 0)' });
    expect(describeCommandOutcome(result, check)).toBe('exit 1 (expected 0): NOAUTH Authentication required.');
  });

  it('accepts an expected non-zero exit code', () => {
    expect(checkCommandResult({ exitCode: 2, stdout: '', stderr: '' }, { exitCode: 2 }).ok).toBe(true);
    expect(checkCommandResult({ exitCode: 0, stdout: '', stderr: '' }, { exitCode: 2 }).ok).toBe(false);
  });

  it('looks for output in stdout and stderr together', () => {
    expect(checkCommandResult({ exitCode: 0, stdout: 'PONG\n', stderr: '' }, { ...expectZero, outputContains: 'PONG' }).ok).toBe(true);
    expect(checkCommandResult({ exitCode: 0, stdout: '', stderr: 'warn: PONG' }, { ...expectZero, outputContains: 'PONG' }).ok).toBe(true);
    expect(
      checkCommandResult({ exitCode: 0, stdout: 'role:master', stderr: '' }, { ...expectZero, outputMatches: '^role:(master|slave)$' }).ok,
    ).toBe(true);
  });

  it('names the output rule that failed, with the first line of output', () => {
    const result = { exitCode: 0, stdout: '\n  LOADING dataset\n', stderr: '' };
    const lacks = checkCommandResult(result, { ...expectZero, outputContains: 'PONG' });
    expect(lacks).toEqual({ ok: false, reason: 'output lacks "PONG"' });
    expect(describeCommandOutcome(result, lacks)).toBe('exit 0, output lacks "PONG": LOADING dataset');
    const nomatch = checkCommandResult(result, { ...expectZero, outputMatches: '^PONG$' });
    expect(nomatch).toEqual({ ok: false, reason: 'output does not match /^PONG$/' });
  });

  it('describes a success with its exit code only, and a silent failure without a colon', () => {
    const ok = { exitCode: 0, stdout: 'x', stderr: '' };
    expect(describeCommandOutcome(ok, { ok: true })).toBe('exit 0');
    const silent = { exitCode: 3, stdout: '', stderr: '' };
    expect(describeCommandOutcome(silent, checkCommandResult(silent, expectZero))).toBe('exit 3 (expected 0)');
  });

  it('splits the outcome into a head and an excerpt for callers that put words between', () => {
    const result = { exitCode: 1, stdout: 'ERR\nmore', stderr: '' };
    expect(commandOutcomeParts(result, checkCommandResult(result, expectZero))).toEqual({ head: 'exit 1 (expected 0)', excerpt: 'ERR' });
    expect(commandOutcomeParts({ ...result, exitCode: 0 }, { ok: true })).toEqual({ head: 'exit 0', excerpt: '' });
  });

  it('joins stdout and stderr on a line break so lines do not run together', () => {
    expect(combinedOutput({ stdout: 'a', stderr: 'b' })).toBe('a\nb');
    expect(combinedOutput({ stdout: '', stderr: 'b' })).toBe('b');
    expect(combinedOutput({ stdout: 'a', stderr: '' })).toBe('a');
  });
});

describe('wording', () => {
  it('formatMs never rounds down', () => {
    expect(formatMs(0)).toBe('1ms');
    expect(formatMs(0.2)).toBe('1ms');
    expect(formatMs(12)).toBe('12ms');
    expect(formatMs(12.1)).toBe('13ms');
    expect(formatMs(999.5)).toBe('1s');
    expect(formatMs(1000)).toBe('1s');
    expect(formatMs(2000.4)).toBe('2.01s');
    expect(formatMs(61_234)).toBe('61.24s');
  });

  it('formatCommand shows sh -c scripts as written and quotes arguments that need it', () => {
    expect(formatCommand(['sh', '-c', 'redis-cli ping | grep PONG'])).toBe('redis-cli ping | grep PONG');
    expect(formatCommand(['redis-cli', '-p', '6379', 'ping'])).toBe('redis-cli -p 6379 ping');
    expect(formatCommand(['echo', 'two words', "it's"])).toBe(`echo 'two words' 'it'\\''s'`);
    expect(formatCommand(['sh', '-c', 'a', 'extra'])).toBe('sh -c a extra');
  });

  it('firstFailure returns the first failing check or a pass', () => {
    expect(firstFailure([{ ok: true }, { ok: false, reason: 'a' }, { ok: false, reason: 'b' }])).toEqual({ ok: false, reason: 'a' });
    expect(firstFailure([{ ok: true }]).ok).toBe(true);
    expect(firstFailure([]).ok).toBe(true);
  });

  it('firstLine, capText and joinOr', () => {
    expect(firstLine('\n\n  hello  \nworld')).toBe('hello');
    expect(firstLine('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(capText('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(capText('abc', 4)).toBe('abc');
    expect(joinOr(['a'])).toBe('a');
    expect(joinOr(['a', 'b'])).toBe('a or b');
    expect(joinOr(['a', 'b', 'c'])).toBe('a, b or c');
  });
});
