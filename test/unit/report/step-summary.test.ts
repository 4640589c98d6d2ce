import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary, publishStepSummary, renderStepSummary } from '../../../src/report/step-summary.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';
import { redactForCustomer } from '../../../src/report/redact.js';

const tempDir = useTempDir();

/** Emoji and the check/cross marks report.md uses: the summary says its statuses in words. */
const SYMBOLS = /[\u2600-\u27bf\u{1f300}-\u{1faff}]/u;

describe('renderStepSummary', () => {
  it('gives the verdict, each objective against its target with its resolution, and each fault rolled back', async () => {
    const { model } = await scenario(tempDir(), 'objective-missed');
    const md = renderStepSummary(model);
    expect(
      md.startsWith(
        '### firedrill: Losing region a\n\n**Verdict: Failed** (exit code 1): the drill ran to the end, but not everything held — 2 of 3 objectives missed.\n',
      ),
    ).toBe(true);
    expect(md).toContain('| Objective | Target | Measured | Resolution | Result |');
    expect(md).toContain(
      '| Recovery time of “Shop answers from region b” | 30s | 32.251s | ±250ms (polled every 250ms) | missed by 2.251s |',
    );
    expect(md).toContain('| Overall recovery time | 45s | 32.255s |');
    expect(md).toContain('| `region-a` | kill every container of region a with SIGKILL | region-loss | yes, verified at +33.896s |');
    expect(md).toContain(
      'Run `20260512T093000Z-region-a-loss-4f9c2e` · playbook `region-a-loss` (`drills/region-a-loss.yaml`) · took 33.944s · firedrill 0.1.0',
    );
    expect(md).not.toContain('Faults may still be in effect');
    expect(md).not.toMatch(SYMBOLS);
    expect(md.endsWith('\n')).toBe(true);
  });

  it('says when a revert was not verified and what to run', async () => {
    const md = renderStepSummary((await scenario(tempDir(), 'rollback-incomplete')).model);
    expect(md).toContain('**Verdict: Rollback incomplete** (exit code 5)');
    expect(md).toContain('| **not verified**: demo-redis-a-1 is exited (exit code 1) after start |');
    expect(md).toContain("**Faults may still be in effect.** Run `firedrill recover` on this run's directory.");
    expect(md).not.toMatch(SYMBOLS);
  });

  it('says why an aborted drill stopped and that its objectives were not measured', async () => {
    const md = renderStepSummary((await scenario(tempDir(), 'aborted-by-signal')).model);
    expect(md).toContain('**Verdict: Aborted** (exit code 4)');
    expect(md).toContain('Stopped early — interrupted by a signal: SIGINT received (Ctrl-C).');
    expect(md).toContain(
      '| Recovery time of “Shop answers from region b” | 30s | not measured | — | not measured: the condition never held |',
    );
  });

  it('for a journal cut off, leaves the rollback unknown and the duration open', async () => {
    const md = renderStepSummary((await scenario(tempDir(), 'cut-off')).model);
    expect(md).toContain('**Verdict: Incomplete** (no exit code)');
    expect(md).toContain('| **unknown**: no revert recorded before the journal ends |');
    expect(md).toContain('the journal ends early');
    expect(md).toContain('**Faults may still be in effect.**');
  });
});

describe('appendStepSummary', () => {
  it('creates the file, then appends: both summaries are kept, in order, a paragraph apart', async () => {
    const file = join(tempDir(), 'summary.md');
    await appendStepSummary(file, '### first\n');
    await appendStepSummary(file, '### second');
    expect(readFileSync(file, 'utf8')).toBe('### first\n\n### second\n');
  });

  it('never overwrites what other steps wrote, even without a final newline', async () => {
    const file = join(tempDir(), 'summary.md');
    writeFileSync(file, 'Tests: 12 passed');
    await appendStepSummary(file, '### firedrill\n');
    expect(readFileSync(file, 'utf8')).toBe('Tests: 12 passed\n\n### firedrill\n');
  });
});

describe('publishStepSummary', () => {
  it('appends the drill summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir();
    const file = join(dir, 'step_summary');
    const { model } = await scenario(join(dir, 'run'), 'passed');
    const warnings: string[] = [];
    await publishStepSummary({ GITHUB_STEP_SUMMARY: file }, model, (line) => warnings.push(line));
    await publishStepSummary({ GITHUB_STEP_SUMMARY: file }, model, (line) => warnings.push(line));
    const text = readFileSync(file, 'utf8');
    const once = renderStepSummary(redactForCustomer(model));
    expect(text).toBe(`${once}\n${once}`);
    expect(text).toContain('**Verdict: Passed** (exit code 0)');
    expect(warnings).toEqual([]);
  });

  it('publishes what customers may see: a job summary can be public', async () => {
    const dir = tempDir();
    const file = join(dir, 'step_summary');
    const { model } = await scenario(join(dir, 'run'), 'passed');
    model.faults[0]!.describe = 'kill demo-app-a-1 at 10.0.0.7';
    expect(renderStepSummary(model)).toContain('kill demo-app-a-1 at 10.0.0.7');
    await publishStepSummary({ GITHUB_STEP_SUMMARY: file }, model, () => {});
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('kill app-a at \\[internal address\\]');
    expect(text).not.toContain('10.0.0.7');
  });

  it('writes nothing when the variable is unset or empty', async () => {
    const dir = tempDir();
    const { model } = await scenario(join(dir, 'run'), 'passed');
    await publishStepSummary({}, model, () => {});
    await publishStepSummary({ GITHUB_STEP_SUMMARY: '' }, model, () => {});
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('warns, and does not throw, when the summary cannot be written', async () => {
    const dir = tempDir();
    const notAFile = join(dir, 'a-directory');
    mkdirSync(notAFile);
    const { model } = await scenario(join(dir, 'run'), 'passed');
    const warnings: string[] = [];
    await publishStepSummary({ GITHUB_STEP_SUMMARY: notAFile }, model, (line) => warnings.push(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^could not append the step summary to .*a-directory \(.*EISDIR.*\); the reports in the run directory have the results$/,
    );
  });
});
