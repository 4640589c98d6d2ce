import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readJournal } from '../../../src/journal/reader.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import type { DrillModel } from '../../../src/report/model-types.js';
import { reportDocument } from '../../../src/report/report-document.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { type DrillScript, recordJournal } from '../journal/support/drill-script.js';
import { REGION_A_FAULT } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

/** The engineering report: everything unredacted, so these checks see the journal's own words. */
function engineeringMarkdown(model: DrillModel): string {
  return renderMarkdown(reportDocument(model, 'engineering'));
}

function sectionOf(markdown: string, title: string): string {
  const start = markdown.indexOf(`## ${title}\n`);
  if (start === -1) throw new Error(`no section "${title}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

describe('renderMarkdown', () => {
  it('tells a passed drill in the order a reader needs', async () => {
    const md = engineeringMarkdown((await scenario(tempDir(), 'passed')).model);
    expect(md.startsWith('# Drill report: Losing region a\n\n**Verdict: Passed** (exit code 0): every objective was met')).toBe(true);
    const titles = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(titles).toEqual([
      'What we simulated',
      'What customers would have seen',
      'Objectives',
      'Status page',
      'Steps',
      'Timeline',
      'Rollback',
      'Findings',
      'What happens next',
      'Appendix: probe samples',
      'Appendix: containers',
      'Appendix: commands and actions',
      'Appendix: every event',
    ]);
    expect(sectionOf(md, 'What we simulated')).toContain(
      '**kill every container of region a with SIGKILL** — fault `region-a` (region-loss) on demo-app-a-1 (app-a), demo-redis-a-1 (redis-a)',
    );
    expect(sectionOf(md, 'What customers would have seen')).toContain(
      '- **Shop answers from region b**: degraded for **3.001s** (±250ms, polled every 250ms): failing from the fault (`region-a`, at +0.156s) until it held again at +3.157s.',
    );
    expect(sectionOf(md, 'Objectives')).toContain(
      '| Recovery time of “Shop answers from region b” | 30s | 3.001s | ±250ms (polled every 250ms) | ✔ met |',
    );
    expect(sectionOf(md, 'What happens next')).toContain('- Review how long region b takes to warm its cache.');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('summarises probe samples per step instead of listing them', async () => {
    const md = engineeringMarkdown((await scenario(tempDir(), 'passed')).model);
    const timeline = sectionOf(md, 'Timeline');
    expect(timeline).toContain(
      'Step 2 “Shop answers from region b”: 13 samples; healthy from +3.157s; recovered 3.001s after fault `region-a` was applied (±250ms, polled every 250ms).',
    );
    expect(timeline).not.toContain('connection refused');
    expect(timeline.split('\n').filter((l) => l.startsWith('- `+')).length).toBeLessThan(30);
    expect(timeline).toContain('- `+0.000s` Drill “Losing region a” started');
  });

  it('shows a missed objective with measured, target and how much it was missed by', async () => {
    const md = engineeringMarkdown((await scenario(tempDir(), 'objective-missed')).model);
    expect(md).toContain('**Verdict: Failed** (exit code 1)');
    expect(sectionOf(md, 'Objectives')).toContain(
      '| Recovery time of “Shop answers from region b” | 30s | 32.251s | ±250ms (polled every 250ms) | ✘ missed by 2.251s |',
    );
    expect(sectionOf(md, 'Findings')).toContain(
      '- The recovery time of “Shop answers from region b” missed by 2.251s: 32.251s against a target of 30s.',
    );
    expect(sectionOf(md, 'What customers would have seen')).toContain('degraded for **32.251s**');
  });

  it('says why a drill was aborted and what was never checked', async () => {
    const md = engineeringMarkdown((await scenario(tempDir(), 'aborted-by-signal')).model);
    expect(md).toContain('**Verdict: Aborted** (exit code 4): the drill was stopped and rolled back');
    expect(sectionOf(md, 'Timeline')).toContain('**Aborting** — interrupted by a signal: SIGINT received (Ctrl-C).');
    const customers = sectionOf(md, 'What customers would have seen');
    expect(customers).toContain(
      '- **Shop answers from region b**: degraded for at least **1.751s**: still failing at its last check at +1.907s (connection refused), when the drill stopped waiting.',
    );
    expect(customers).toContain('- **Sessions survive**: not checked: the drill stopped before this step.');
    expect(sectionOf(md, 'Objectives')).toContain('| — | — | ✘ not measured: the step did not run |');
    expect(sectionOf(md, 'Rollback')).toContain('reverted and verified at');
  });

  it('gives the commands to finish an incomplete rollback by hand', async () => {
    const { model } = await scenario(tempDir(), 'rollback-incomplete');
    const rollback = sectionOf(engineeringMarkdown(model), 'Rollback');
    expect(rollback).toContain('the revert **could not be verified**');
    expect(rollback).toContain('  - problem: demo-redis-a-1 is exited (exit code 1) after start');
    expect(rollback).toContain(`\`\`\`sh\n${model.faults[0]?.revert?.manual.join('\n')}\n\`\`\``);
    expect(sectionOf(engineeringMarkdown(model), 'Findings')).toContain('The revert of fault `region-a` was not verified');
  });

  it('says a journal cut off mid-drill is incomplete and faults may remain', async () => {
    const md = engineeringMarkdown((await scenario(tempDir(), 'cut-off')).model);
    expect(md).toContain('**Verdict: Incomplete** (no exit code): the journal ends without a result');
    expect(md).toContain('| Duration | at least 1.160s (the journal ends early) |');
    expect(sectionOf(md, 'Rollback')).toContain('no revert was recorded before the journal ends: it **may still be in effect**');
    expect(sectionOf(md, 'Rollback')).toContain('Run `firedrill recover`');
    expect(sectionOf(md, 'Timeline')).toMatch(/- `\+1\.160s` The journal ends here, without a result\.$/m);
    expect(sectionOf(md, 'Objectives')).toContain(
      '| Overall recovery time | 45s | — | — | not measured: the journal ends before it was evaluated |',
    );
  });

  it('states the polling interval with the resolution when the journal has it', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    for (const step of model.steps) if (step.wait) step.wait.everyMs = 250;
    expect(engineeringMarkdown(model)).toContain('| 30s | 3.001s | ±250ms (polled every 250ms) | ✔ met |');
  });

  it('keeps text from playbooks and containers from turning into markup', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const shop = model.steps[1];
    const restore = model.restore[0];
    if (!shop || !restore?.run || !model.playbook) throw new Error('scenario changed');
    shop.name = 'a | b <img src=x>';
    model.playbook = { ...model.playbook, title: 'Title with `ticks` and *stars*' };
    restore.run.output = 'line one\n```\n\u001b[31mred\u001b[0m';
    const md = engineeringMarkdown(model);
    expect(md).toContain('# Drill report: Title with \\`ticks\\` and \\*stars\\*');
    expect(md).toContain('| 2 | a \\| b \\<img src=x\\> |');
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).toContain('````\nline one\n```\nred\n````');
  });

  it('says when a check was healthy, failed again, then held', async () => {
    const path = join(tempDir(), 'journal.jsonl');
    recordJournal(path, (d) => flappingWait(d));
    const md = engineeringMarkdown(buildDrillModel(await readJournal(path)));
    expect(sectionOf(md, 'Timeline')).toContain(
      'Step 2 “wait”: 5 samples; first healthy at +0.251s, then failing again; healthy from +0.751s; recovered 0.751s after fault `region-a` was applied (±250ms, polled every 250ms).',
    );
  });
});

/** Samples at +1ms, +251ms … after the fault: fail, ok, fail, ok, ok (two in a row needed). */
function flappingWait(d: DrillScript): void {
  d.emit('drill.started', {
    runId: 'r',
    firedrillVersion: '0',
    project: 'demo',
    endpoint: 'unix:///var/run/docker.sock',
    objectives: {},
    playbook: { name: 'p', title: 'Flapping', summary: 's', file: 'p.yaml', sha256: '0'.repeat(64) },
    timeLimitMs: 60_000,
    rollback: 'always',
    restore: [],
    steadyState: [],
    steps: [
      { index: 0, name: 'inject', action: 'inject', describe: 'kill region a' },
      { index: 1, name: 'wait', action: 'wait', describe: 'wait until healthy' },
    ],
  });
  d.emit('step.started', { section: 'steps', index: 0, name: 'inject', action: 'inject', describe: 'kill region a' });
  d.inject('steps', 0, REGION_A_FAULT, [], 0);
  d.emit('step.finished', { section: 'steps', index: 0, status: 'passed', durationMs: 0 });
  d.after(1).emit('step.started', { section: 'steps', index: 1, name: 'wait', action: 'wait', describe: 'wait until healthy' });
  let streak = 0;
  [false, true, false, true, true].forEach((ok, i) => {
    if (i > 0) d.after(250);
    streak = ok ? streak + 1 : 0;
    d.emit('probe.sample', { section: 'steps', index: 1, sample: i + 1, ok, summary: ok ? 'up' : 'down', latencyMs: 0, streak });
  });
  d.emit('wait.finished', {
    section: 'steps',
    index: 1,
    met: true,
    samples: 5,
    reference: { ref: 'region-a', kind: 'region-loss' },
    recoveryMs: 751,
    resolutionMs: 250,
    everyMs: 250,
    timeoutMs: 10_000,
  });
}
