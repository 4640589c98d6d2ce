import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import type { DrillModel } from '../../../src/report/model-types.js';
import { xmlAttr, xmlText } from '../../../src/report/xml-text.js';
import type { RegionLossOutcome } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { type ReadCase, elementAttributes, junitCasesOf } from './support/junit-cases-of.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

async function modelOf(outcome: RegionLossOutcome): Promise<DrillModel> {
  return (await scenario(tempDir(), outcome)).model;
}

function caseNamed(cases: ReadCase[], name: string): ReadCase {
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no test case "${name}" among: ${cases.map((c) => c.name).join(', ')}`);
  return found;
}

const SHOP_RTO = 'RTO step 2 Shop answers from region b ≤ 30s';

describe('renderJunit', () => {
  it.each([
    // outcome, tests, failures, errors, skipped
    ['passed', 11, 0, 0, 0],
    ['objective-missed', 11, 3, 0, 0],
    ['aborted-by-signal', 11, 3, 2, 1],
    ['stopped-by-condition', 12, 4, 2, 1],
    ['rollback-incomplete', 11, 0, 2, 0],
    ['cut-off', 10, 3, 3, 2],
  ] as const)('counts the cases of a %s drill on the suite and the root', async (outcome, tests, failures, errors, skipped) => {
    const xml = renderJunit(await modelOf(outcome));
    const cases = junitCasesOf(xml);
    const kinds = (kind: ReadCase['result']) => cases.filter((c) => c.result === kind).length;
    expect([cases.length, kinds('failure'), kinds('error'), kinds('skipped')]).toEqual([tests, failures, errors, skipped]);
    expect(elementAttributes(xml, 'testsuite')).toMatchObject({
      name: 'region-a-loss',
      tests: String(tests),
      failures: String(failures),
      errors: String(errors),
      skipped: String(skipped),
    });
    expect(elementAttributes(xml, 'testsuites')).toMatchObject({
      tests: String(tests),
      failures: String(failures),
      errors: String(errors),
    });
  });

  it('gives every case a classname by kind, a stable name, seconds and the playbook as its file', async () => {
    const model = await modelOf('passed');
    const xml = renderJunit(model);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firedrill"')).toBe(true);
    expect(elementAttributes(xml, 'testsuite')).toMatchObject({ time: '4.694', timestamp: '2026-05-12T09:30:00' });
    const cases = junitCasesOf(xml);
    expect(cases.map((c) => [c.classname.replace('firedrill.region-a-loss.', ''), c.name])).toEqual([
      ['objectives', 'RTO overall ≤ 45s'],
      ['objectives', SHOP_RTO],
      ['objectives', 'RTO step 3 Sessions survive ≤ 10s'],
      ['steady-state', 'before: GET http://127.0.0.1:8080/health → 200'],
      ['steps', 'step 1: Lose region a'],
      ['steps', 'step 2: Shop answers from region b'],
      ['steps', 'step 3: Sessions survive'],
      ['rollback', 'revert region-a (region-loss)'],
      ['restore', 'step 1: Re-point region a replication'],
      ['steady-state', 'after: GET http://127.0.0.1:8080/health → 200'],
      ['drill', 'verdict'],
    ]);
    for (const c of cases) {
      expect(c.time).toMatch(/^\d+\.\d{3}$/);
      expect(c.file).toBe('drills/region-a-loss.yaml');
    }
    // An objective's time is its measurement; a step's its duration: both in seconds, rounded up.
    expect(caseNamed(cases, SHOP_RTO)).toMatchObject({
      result: 'passed',
      time: '3.001',
      output: expect.stringContaining('3.001s against a target of 30s'),
    });
    expect(caseNamed(cases, 'step 1: Lose region a').time).toBe('0.120');
    expect(caseNamed(cases, 'step 1: Re-point region a replication')).toMatchObject({
      time: '0.036',
      output: expect.stringContaining('output:\nOK'),
    });
    expect(xml).toContain('<property name="firedrill.verdict" value="passed"/>');
    expect(xml).toContain('<property name="firedrill.runId" value="20260512T093000Z-region-a-loss-4f9c2e"/>');
    expect(xml).not.toContain('docker.sock');
  });

  it('names each drill objective by its own name, so time to first contact is not a second "RTO overall"', async () => {
    const model = await modelOf('passed');
    model.objectives.push({
      scope: 'drill',
      index: null,
      stepName: null,
      name: 'time to first contact',
      targetMs: 45_000,
      measuredMs: 900,
      resolutionMs: 0,
      met: true,
      missedByMs: null,
      evaluated: true,
      note: null,
    });
    const names = junitCasesOf(renderJunit(model))
      .filter((c) => c.classname.endsWith('.objectives'))
      .map((c) => c.name);
    expect(names).toContain('RTO overall ≤ 45s');
    expect(names).toContain('time to first contact ≤ 45s');
    expect(names.filter((n) => n.startsWith('RTO overall'))).toHaveLength(1);
  });

  it('fails a missed objective with measured against target and the resolution', async () => {
    const cases = junitCasesOf(renderJunit(await modelOf('objective-missed')));
    expect(caseNamed(cases, SHOP_RTO)).toMatchObject({
      result: 'failure',
      type: 'objective-missed',
      time: '32.251',
      message: 'missed by 2.251s: 32.251s against a target of 30s (resolution ±250ms, polled every 250ms)',
    });
    expect(caseNamed(cases, 'RTO overall ≤ 45s').result).toBe('passed');
    // The wait itself held within its timeout: the step passed, the objective did not.
    expect(caseNamed(cases, 'step 2: Shop answers from region b').result).toBe('passed');
    expect(caseNamed(cases, 'verdict')).toMatchObject({
      result: 'failure',
      type: 'drill-failed',
      message: expect.stringContaining('Verdict: Failed (exit code 1)'),
    });
  });

  it('shows an aborted drill: the step cut short as an error, objectives not measured as failures, later steps skipped', async () => {
    const xml = renderJunit(await modelOf('aborted-by-signal'));
    const cases = junitCasesOf(xml);
    expect(caseNamed(cases, 'step 2: Shop answers from region b')).toMatchObject({
      result: 'error',
      type: 'aborted',
      message: 'cut short: the drill was aborted — interrupted by a signal: SIGINT received (Ctrl-C)',
      detail: expect.stringContaining('the step said: aborted while waiting'),
    });
    expect(caseNamed(cases, SHOP_RTO)).toMatchObject({
      result: 'failure',
      type: 'objective-not-measured',
      time: '0.000',
      message: 'not measured: the condition never held; an objective that could not be measured counts as missed',
    });
    expect(caseNamed(cases, 'step 3: Sessions survive')).toMatchObject({
      result: 'skipped',
      message: 'not run: the drill stopped early — interrupted by a signal: SIGINT received (Ctrl-C)',
    });
    expect(caseNamed(cases, 'verdict')).toMatchObject({ result: 'error', type: 'drill-aborted' });
    expect(xml).toMatch(
      /<system-out>Verdict: Aborted \(exit code 4\): the drill was stopped and rolled back — aborted \(signal\)\.\nStopped early — interrupted by a signal: SIGINT received \(Ctrl-C\)\./,
    );
  });

  it('fails the stop condition that stopped the drill', async () => {
    const cases = junitCasesOf(renderJunit(await modelOf('stopped-by-condition')));
    expect(caseNamed(cases, 'orders keep flowing')).toMatchObject({
      classname: 'firedrill.region-a-loss.stop-conditions',
      result: 'failure',
      type: 'stop-condition-breached',
      message: expect.stringMatching(
        /^breached at \+\d+\.\d{3}s, \d+\.\d{3}s after fault region-a was applied: failing for 2\.000s without a break \(tolerates 2s\); the last check saw HTTP 503 in 2ms$/,
      ),
    });
    expect(caseNamed(cases, 'step 2: Shop answers from region b')).toMatchObject({
      result: 'error',
      type: 'aborted',
      message: expect.stringContaining('a stop condition was breached'),
    });
  });

  it('reports a revert that was not verified as an error, with the commands to finish by hand', async () => {
    const xml = renderJunit(await modelOf('rollback-incomplete'));
    const cases = junitCasesOf(xml);
    const revert = caseNamed(cases, 'revert region-a (region-loss)');
    expect(revert).toMatchObject({
      result: 'error',
      type: 'rollback-not-verified',
      message:
        'the revert could not be verified: demo-redis-a-1 is exited (exit code 1) after start; the fault may still be in effect — run `firedrill recover`',
    });
    expect(revert.detail).toContain('To finish the rollback by hand, run:\ndocker start ');
    expect(caseNamed(cases, 'verdict')).toMatchObject({
      result: 'error',
      type: 'drill-rollback-incomplete',
      message: expect.stringContaining('Verdict: Rollback incomplete (exit code 5)'),
    });
    expect(xml).toContain('Faults may still be in effect: run `firedrill recover` on this run&apos;s directory.');
  });

  it('shows a journal cut off mid-step: the step interrupted, the fault maybe still applied, times as lower bounds', async () => {
    const model = await modelOf('cut-off');
    const xml = renderJunit(model);
    const cases = junitCasesOf(xml);
    const shop = model.steps[1]!;
    const atLeast = (Math.floor(model.durationMs - shop.startedAtMs!) / 1000).toFixed(3);
    expect(caseNamed(cases, 'step 2: Shop answers from region b')).toMatchObject({ result: 'error', type: 'interrupted', time: atLeast });
    expect(caseNamed(cases, 'step 3: Sessions survive')).toMatchObject({
      result: 'skipped',
      message: 'not run: the journal ends before this step',
    });
    expect(caseNamed(cases, 'revert region-a (region-loss)')).toMatchObject({
      result: 'error',
      type: 'rollback-incomplete',
      message: expect.stringContaining('may still be in effect'),
    });
    expect(caseNamed(cases, 'verdict')).toMatchObject({
      result: 'error',
      type: 'drill-incomplete',
      message: expect.stringContaining('Verdict: Incomplete (no exit code)'),
    });
    expect(elementAttributes(xml, 'testsuite').time).toBe((Math.floor(model.durationMs) / 1000).toFixed(3));
    expect(xml).not.toContain('firedrill.exitCode');
  });

  it('fails a wait that never held, and skips the steps after it', async () => {
    const model = await modelOf('passed');
    const shop = model.steps[1]!;
    Object.assign(shop, { status: 'failed', error: 'condition did not hold within 60000ms (240 samples)' });
    Object.assign(shop.wait!, { met: false, lastFailure: { summary: 'HTTP 503 in 2ms', atMs: 60_000, sample: 240 } });
    model.steps[2]!.status = 'not-run';
    model.abort = {
      cause: 'step-failed',
      reason: 'step "Shop answers from region b" failed; stopping the drill and rolling back',
      atMs: 60_100,
    };
    const cases = junitCasesOf(renderJunit(model));
    expect(caseNamed(cases, 'step 2: Shop answers from region b')).toMatchObject({
      result: 'failure',
      type: 'condition-not-held',
      message: 'condition did not hold within 60000ms (240 samples); the last failing check saw HTTP 503 in 2ms',
    });
    expect(caseNamed(cases, 'step 3: Sessions survive')).toMatchObject({
      result: 'skipped',
      message: expect.stringContaining('not run: the drill stopped early — a step failed'),
    });
  });

  it('reports a fault that could not be injected and a failed action as errors, a declined check as a failure', async () => {
    const model = await modelOf('passed');
    Object.assign(model.steps[0]!, { status: 'failed', error: 'could not inject region-loss: Docker answered 500' });
    Object.assign(model.faults[0]!, { state: 'inject-failed', injectError: 'Docker answered 500', revert: null });
    Object.assign(model.steps[2]!, { action: 'manual', status: 'failed', manual: 'declined', error: 'declined by the operator' });
    Object.assign(model.restore[0]!, { status: 'failed', error: 'exit 1', run: { ok: false, summary: 'exit 1', output: null } });
    const cases = junitCasesOf(renderJunit(model));
    expect(caseNamed(cases, 'step 1: Lose region a')).toMatchObject({
      result: 'error',
      type: 'inject-failed',
      message: 'could not inject region-loss: Docker answered 500',
    });
    expect(caseNamed(cases, 'revert region-a (region-loss)')).toMatchObject({
      result: 'skipped',
      message: 'the fault could not be applied, and no revert was recorded',
    });
    expect(caseNamed(cases, 'step 3: Sessions survive')).toMatchObject({
      result: 'failure',
      type: 'manual-check-failed',
      message: 'declined by the operator',
    });
    expect(caseNamed(cases, 'step 1: Re-point region a replication')).toMatchObject({
      result: 'error',
      type: 'action-failed',
      message: 'exit 1',
    });
  });

  it('strips terminal escapes and characters XML forbids from output and messages, and escapes markup', async () => {
    const model = await modelOf('passed');
    const output =
      '\u001b[31mERR\u001b[0m wrong\u0001 state & <replica> "a" \'b\'\r\nline2 \ud800\uffff\u001b]8;;http://x\u0007link\u001b]8;;\u0007 😀';
    const summary = 'exit 1: \u001b[1mboom\u001b[22m\u0007\u000b';
    Object.assign(model.restore[0]!, { status: 'failed', error: summary, run: { ok: false, summary, output } });
    const xml = renderJunit(model);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udbff](?![\udc00-\udfff])|\uffff/);
    expect(xml).toContain('ERR wrong state &amp; &lt;replica&gt; &quot;a&quot; &apos;b&apos;\nline2 link 😀');
    expect(caseNamed(junitCasesOf(xml), 'step 1: Re-point region a replication')).toMatchObject({
      message: 'exit 1: boom',
      output: expect.stringContaining('output:\nERR wrong state & <replica> "a" \'b\'\nline2 link 😀'),
    });
  });

  it('gives repeated case names a number, since CI servers keep only one case per name', async () => {
    const model = await modelOf('passed');
    model.steadyState.before.push({ ...model.steadyState.before[0]!, ok: false, summary: 'HTTP 503 in 1ms' });
    const cases = junitCasesOf(renderJunit(model));
    expect(caseNamed(cases, 'before: GET http://127.0.0.1:8080/health → 200').result).toBe('passed');
    expect(caseNamed(cases, 'before: GET http://127.0.0.1:8080/health → 200 (2)')).toMatchObject({
      result: 'failure',
      type: 'steady-state',
    });
  });

  it('is deterministic: the same journal gives the same bytes, and the model is left as it was', async () => {
    const first = await modelOf('stopped-by-condition');
    const before = JSON.stringify(first);
    const xml = renderJunit(first);
    expect(JSON.stringify(first)).toBe(before);
    expect(renderJunit(first)).toBe(xml);
    expect(renderJunit(await modelOf('stopped-by-condition'))).toBe(xml);
  });
});

describe('xmlText and xmlAttr', () => {
  it('keep what XML allows, pairs of surrogates included, and drop the rest', () => {
    expect(xmlText('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg\udc00h\ud800i 𝄞 é\tj\nk')).toBe('abcdefghi 𝄞 é\tj\nk');
    expect(xmlText('\u001b[1;31mred\u001b[0m \u001b(Bplain \u001b]0;title\u001b\\done')).toBe('red plain done');
  });

  it('escape markup, and in attributes keep newlines and tabs as character references', () => {
    expect(xmlText('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlAttr('one\r\ntwo\tthree')).toBe('one&#10;two&#9;three');
  });
});
