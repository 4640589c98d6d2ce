import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { listRuns } from '../../../src/history/run-index.js';
import { buildTrends } from '../../../src/history/trend.js';
import { renderTrendHtml } from '../../../src/history/trend-html.js';
import { renderTrendSvg } from '../../../src/history/trend-svg.js';
import { renderTrendText } from '../../../src/history/trend-text.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { STEP_NAME, recordRun } from './support/scripted-runs.js';

const tempDir = useTempDir();

/** Five runs of app-crash (one aborted, one slow past its 5s RTO) and one of another playbook. */
async function history(runsDir = tempDir()) {
  recordRun(runsDir, { at: '2026-11-20T09:00:00Z', recoveryMs: 2000 });
  recordRun(runsDir, { at: '2026-11-20T10:00:00Z', recoveryMs: 3000 });
  recordRun(runsDir, { at: '2026-11-20T11:00:00Z', recoveryMs: null, outcome: 'aborted' });
  recordRun(runsDir, { at: '2026-11-20T12:00:00Z', recoveryMs: 6000 });
  recordRun(runsDir, { at: '2026-11-20T12:30:00Z', recoveryMs: 500, playbook: 'db-failover', title: 'DB <failover> & "promotion"' });
  recordRun(runsDir, { at: '2026-11-20T13:00:00Z', recoveryMs: 2500 });
  return buildTrends(await listRuns(runsDir));
}

describe('buildTrends', () => {
  it('follows each objective over the runs of its playbook, with min, median, last and target', async () => {
    const [appCrash, dbFailover] = await history();
    expect(appCrash).toMatchObject({
      playbook: 'app-crash',
      runs: 5,
      firstStartedAt: '2026-11-20T09:00:00.000Z',
      lastStartedAt: '2026-11-20T13:00:00.000Z',
    });
    expect(dbFailover).toMatchObject({ playbook: 'db-failover', runs: 1 });
    const step = appCrash!.objectives.find((o) => o.name === STEP_NAME)!;
    expect(step.points.map((p) => p.measuredMs)).toEqual([2000, 3000, null, 6000, 2500]);
    expect(step.points.map((p) => p.met)).toEqual([true, true, false, false, true]);
    expect(step.stats).toEqual({ minMs: 2000, medianMs: 2750, maxMs: 6000, lastMs: 2500, targetMs: 5000, measured: 4, missed: 2 });
    expect(appCrash!.objectives.map((o) => o.scope)).toEqual(['drill', 'step']);
  });
});

describe('renderTrendText', () => {
  it('draws a sparkline per objective, a gap for the run that measured nothing, then the figures', async () => {
    const text = renderTrendText(await history(), paintFor(false));
    expect(text).toContain('app-crash — App crash: 5 runs, 2026-11-20 09:00:00 to 2026-11-20 13:00:00 UTC');
    expect(text).toContain(
      '“app serves again”     ▁▃·█▂  min 2.000s  median 2.750s  last 2.500s  target 5s  4 of 5 runs measured, 2 missed',
    );
    expect(text).toContain(
      'overall recovery time  ▁▃·█▂  min 2.040s  median 2.790s  last 2.540s  target 10s  4 of 5 runs measured, 1 missed',
    );
  });
});

describe('renderTrendSvg', () => {
  it('gives the same bytes for the same runs, recorded and read again', async () => {
    const [first] = await history();
    const [second] = await history();
    expect(renderTrendSvg(first!.objectives[1]!, 'x')).toBe(renderTrendSvg(second!.objectives[1]!, 'x'));
    expect(renderTrendHtml(await history())).toBe(renderTrendHtml(await history()));
  });

  it('draws the target dashed, a point per measured run, missed ones marked, and a gap where nothing was measured', async () => {
    const [appCrash] = await history();
    const svg = renderTrendSvg(appCrash!.objectives[1]!, 'app-crash: recovery time of “app serves again”');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 240"')).toBe(true);
    // y axis from 0 to 6s in 2s steps (6s is the largest value), labelled in seconds.
    expect([...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['0s', '2s', '4s', '6s']);
    // The target: dashed, at 5s, with its label.
    expect(svg).toMatch(/<path d="M60\.0 [\d.]+L[^"]+" fill="none" stroke="#059669" stroke-width="1.5" stroke-dasharray="6 4"\/>/);
    expect(svg).toContain('>target 5s</text>');
    // The measured line is broken at the aborted run: two segments, of two points each.
    const line = /<path d="([^"]+)" fill="none" stroke="#2563eb"/.exec(svg)?.[1];
    expect(line?.match(/M/g)).toHaveLength(2);
    expect(line?.match(/L/g)).toHaveLength(2);
    // Three met points, one missed (red, crossed), one ring on the axis for the run without a measurement.
    expect(svg.match(/r="4" fill="#2563eb"/g)).toHaveLength(3);
    expect(svg.match(/r="6" fill="#dc2626"/g)).toHaveLength(1);
    expect(svg).toContain('6.000s against 5s, missed</title>');
    expect(svg.match(/stroke="#9ca3af"/g)).toHaveLength(1);
    expect(svg).toContain(': not measured</title>');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('renderTrendHtml', () => {
  it('is one self-contained page: a chart per objective, text escaped, no script and nothing fetched', async () => {
    const html = renderTrendHtml(await history());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';`);
    expect(html).toContain('DB &#60;failover&#62; &#38; &#34;promotion&#34;');
    expect(html).not.toContain('<failover>');
    expect(html).not.toMatch(/<script|\son\w+=|\ssrc=|\shref=|url\(|@import|<link|<img|<iframe/i);
  });
});
