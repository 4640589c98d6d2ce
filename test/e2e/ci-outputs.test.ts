import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/reader.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { REPO_ROOT, firedrill } from './cli-process.js';

const SCHEMA = join(REPO_ROOT, 'test/fixtures/junit/junit.xsd');

/**
 * What CI gets from a real drill run twice with nobody watching: junit.xml that a real validator
 * accepts, the Markdown summary appended to GITHUB_STEP_SUMMARY for each run, the regression
 * gate comparing the second run with the first, and both runs in the history.
 */
describe('firedrill run in CI', () => {
  let fixture: FixtureProject;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firedrill-ci-'));
    fixture = await startFixtureProject('two-region');
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes valid JUnit, appends the step summary, gates on the previous run and keeps both in the history', async () => {
    const playbook = join(dir, 'pause-web-a.yaml');
    writeFileSync(
      playbook,
      `${[
        'name: pause-web-a',
        'title: Freezing web-a',
        'summary: web-a freezes for a moment; we time how long until it answers again.',
        'topology:',
        `  composeFile: ${fixture.file}`,
        `  project: ${fixture.project}`,
        'steps:',
        '  - name: freeze web-a',
        '    inject: { kind: service, id: freeze-a, service: web-a, mode: pause }',
        '  - name: thaw web-a',
        '    run: { kind: revert, fault: freeze-a }',
        '  - name: web-a answers again',
        '    wait:',
        '      probe: { kind: exec, service: web-b, command: "curl -sf -o /dev/null http://web-a/" }',
        '      every: 100ms',
        '      timeout: 20s',
        '      rto: 15s',
      ].join('\n')}\n`,
    );
    const summary = join(dir, 'step-summary.md');
    const env = { CI: 'true', GITHUB_STEP_SUMMARY: summary };
    const runs = join(dir, 'runs');

    const first = await firedrill(['run', playbook, '--runs-dir', runs, '--max-regression', '400'], { env });
    expect(first.exitCode, String(first.all)).toBe(0);
    const second = await firedrill(['run', playbook, '--runs-dir', runs, '--max-regression', '400'], { env });
    expect(second.exitCode, String(second.all)).toBe(0);
    const [firstDir, secondDir] = [first, second].map((r) => resolve(/run directory: (\S+)/.exec(String(r.stdout))?.[1] ?? ''));

    // junit.xml: accepted by xmllint against the JUnit schema, one suite named after the playbook.
    for (const runDir of [firstDir!, secondDir!]) {
      const validation = await execa('xmllint', ['--noout', '--schema', SCHEMA, join(runDir, 'junit.xml')], { reject: false });
      expect(validation.exitCode, validation.stderr).toBe(0);
      const xml = readFileSync(join(runDir, 'junit.xml'), 'utf8');
      expect(xml.match(/<testsuite /g)).toHaveLength(1);
      expect(xml).toContain('name="pause-web-a"');
      expect(xml).not.toMatch(/<failure|<error/);
    }

    // The step summary: appended once per run, never overwritten.
    const written = readFileSync(summary, 'utf8');
    const firstId = (await readJournal(join(firstDir!, 'journal.jsonl')))[0]!.data;
    expect(written.match(/Freezing web-a/g)).toHaveLength(2);
    expect(written).toMatch(/Verdict: Passed/i);

    // The gate: the first run had no baseline, the second compared with the first.
    const gateOf = async (runDir: string) =>
      (await readJournal(join(runDir, 'journal.jsonl'))).find((e) => e.type === 'regression.checked')?.data;
    expect(await gateOf(firstDir!)).toMatchObject({ baselineRunId: null, regressed: 0 });
    const gate = await gateOf(secondDir!);
    expect(gate).toMatchObject({ baselineRunId: (firstId as { runId: string }).runId, maxRegressionPct: 400 });
    expect(String(second.stderr)).toContain((firstId as { runId: string }).runId);

    // Both runs in the history, as JSON.
    const history = await firedrill(['history', '--runs-dir', runs, '--json']);
    expect(history.exitCode).toBe(0);
    expect(String(history.stdout)).toContain(firstDir!.split('/').pop());
    expect(String(history.stdout)).toContain(secondDir!.split('/').pop());

    // The customer report names no container id of the fixture's.
    const customer = readFileSync(join(secondDir!, 'report.html'), 'utf8');
    for (const container of await Promise.all(['web-a', 'web-b'].map((s) => fixture.container(s)))) {
      expect(customer).not.toContain(container.id.slice(0, 12));
    }
  });
});
