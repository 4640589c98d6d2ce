import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import type { RegionLossOutcome } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

/**
 * junit.xml checked by a real validator, libxml2's xmllint, against test/fixtures/junit/junit.xsd
 * (the format as GitLab, Jenkins and the GitHub reporters read it). Each run takes milliseconds.
 */

const SCHEMA = join(import.meta.dirname, '../../fixtures/junit/junit.xsd');
const OUTCOMES: RegionLossOutcome[] = [
  'passed',
  'objective-missed',
  'aborted-by-signal',
  'stopped-by-condition',
  'rollback-incomplete',
  'cut-off',
];

const tempDir = useTempDir();

async function validate(xml: string): Promise<{ exitCode: number | undefined; stderr: string }> {
  const file = join(tempDir(), 'junit.xml');
  writeFileSync(file, xml, 'utf8');
  const result = await execa('xmllint', ['--noout', '--schema', SCHEMA, file], { reject: false });
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
}

beforeAll(async () => {
  const probe = await execa('xmllint', ['--version'], { reject: false });
  if (probe.failed && probe.code === 'ENOENT') {
    throw new Error('xmllint is not installed, and these tests need it to validate junit.xml: apt-get install libxml2-utils');
  }
});

describe('junit.xml against the schema', () => {
  it.each(OUTCOMES)('validates for a %s drill', async (outcome) => {
    const { model } = await scenario(tempDir(), outcome);
    const result = await validate(renderJunit(model));
    expect(result.stderr).toContain('validates');
    expect(result.exitCode).toBe(0);
  });

  it('validates with control characters, escapes and lone surrogates in captured output', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const dirty = '\u001b[31mERR\u001b[0m\u0001\u0002 <x> & "y" \ud800 \uffff\r\n]]> done';
    Object.assign(model.restore[0]!, {
      name: `restore ${dirty}`,
      status: 'failed',
      error: dirty,
      run: { ok: false, summary: dirty, output: dirty },
    });
    const result = await validate(renderJunit(model));
    expect(result.stderr).toContain('validates');
    expect(result.exitCode).toBe(0);
  });

  // The schema must be able to say no, or the checks above prove nothing.
  it.each([
    ['a test case without a name', (xml: string) => xml.replace(' name="step 1: Lose region a"', ''), "The attribute 'name' is required"],
    ['a time that is not seconds', (xml: string) => xml.replace('time="0.120"', 'time="120ms"'), "attribute 'time'"],
    ['output before the failure', (xml: string) => moveOutputBeforeFailure(xml), "Element 'failure': This element is not expected"],
    [
      'two cases with one name',
      (xml: string) => xml.replace('name="step 2: Shop answers from region b"', 'name="step 1: Lose region a"'),
      'Duplicate key-sequence',
    ],
    ['a timestamp with a zone', (xml: string) => xml.replace(/timestamp="([^"]+)"/, 'timestamp="$1Z"'), "attribute 'timestamp'"],
  ])('rejects %s', async (_what, breakIt, expected) => {
    const { model } = await scenario(tempDir(), 'objective-missed');
    const xml = renderJunit(model);
    const broken = breakIt(xml);
    expect(broken).not.toBe(xml);
    const result = await validate(broken);
    expect(result.stderr).toContain(expected);
    expect(result.exitCode).not.toBe(0);
  });
});

/** The missed objective's <system-out>, put before its <failure> (the order is failure, then output). */
function moveOutputBeforeFailure(xml: string): string {
  return xml.replace(/(<failure [^>]*>[^<]*<\/failure>)(\n\s*)/, '<system-out>moved</system-out>$2$1$2');
}
