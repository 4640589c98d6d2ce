import { count } from '../words/number-words.js';
import { htmlPage } from '../report/html-page.js';
import { capitalised } from '../words/markdown-text.js';
import { objectiveLabel } from '../report/report-words.js';
import { when } from '../words/time-format.js';
import type { ObjectiveTrend, PlaybookTrend } from './trend.js';
import { escapeXml, renderTrendSvg } from './trend-svg.js';
import { trendStatsParts } from './trend-text.js';

/**
 * `history --trend --html <file>`: one self-contained page with a chart per objective. Inline
 * CSS and SVG only: no script, no font, no image, nothing fetched (the page's own Content
 * Security Policy forbids it), so it can be mailed or archived as it is. Deterministic: no
 * "generated at"; everything on it comes from the runs.
 */
export function renderTrendHtml(trends: readonly PlaybookTrend[]): string {
  const runs = trends.reduce((sum, t) => sum + t.runs, 0);
  const intro = trends.length === 0 ? 'No readable runs.' : `${count(runs, 'run')} of ${count(trends.length, 'playbook')}.`;
  return htmlPage({
    title: 'firedrill: recovery times over runs',
    style: STYLE,
    body: [
      '<h1>Recovery times over runs</h1>',
      `<p>${intro} Each chart shows one objective: a dot per run, oldest on the left. A red, crossed dot missed its target; a grey ring on the axis is a run that measured nothing; the dashed line is the target. Times are measured recovery times, rounded up.</p>`,
      ...trends.map(playbookSection),
    ],
  });
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;color:#111827;margin:2rem auto;max-width:720px;padding:0 1rem;line-height:1.4}',
  'h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem}',
  'code{font-size:.9em;background:#f3f4f6;padding:0 .2em;border-radius:3px}',
  'figure{margin:1.5rem 0}figcaption{font-size:.9rem;margin-bottom:.4rem}',
  'svg{max-width:100%;height:auto}',
  '.stats{color:#4b5563}',
].join('');

function playbookSection(trend: PlaybookTrend): string {
  const span =
    trend.runs > 1 ? `from ${when(trend.firstStartedAt)} to ${when(trend.lastStartedAt)} UTC` : `on ${when(trend.firstStartedAt)} UTC`;
  const figures = trend.objectives.length === 0 ? ['<p>These runs set no objectives.</p>'] : trend.objectives.map((o) => figure(trend, o));
  return [
    '<section>',
    `<h2>${escapeXml(trend.title)} <code>${escapeXml(trend.playbook)}</code></h2>`,
    `<p>${count(trend.runs, 'run')} ${span}.</p>`,
    ...figures,
    '</section>',
  ].join('\n');
}

function figure(trend: PlaybookTrend, o: ObjectiveTrend): string {
  const label = objectiveLabel(o);
  const title = `${trend.playbook}: ${label}`;
  return [
    '<figure>',
    `<figcaption><strong>${escapeXml(capitalised(label))}</strong> <span class="stats">${escapeXml(statsText(o))}</span></figcaption>`,
    renderTrendSvg(o, title),
    '</figure>',
  ].join('\n');
}

function statsText(o: ObjectiveTrend): string {
  const parts = trendStatsParts(o);
  if (o.stats.missed > 0) parts.push(`${o.stats.missed} missed`);
  return `— ${parts.join(' · ')}`;
}
