import type { Paint } from '../words/paint.js';
import { count } from '../words/number-words.js';
import { formatMeasured, formatTarget, when } from '../words/time-format.js';
import { objectiveShortLabel } from './objective-words.js';
import { sparkline } from './sparkline.js';
import type { ObjectiveTrend, PlaybookTrend } from './trend.js';

/**
 * `history --trend` for the terminal: per playbook, one line per objective with its recovery
 * time over the runs as a sparkline (oldest left; · where a run measured nothing), then the
 * minimum, median and last measurement and the target.
 */
export function renderTrendText(trends: readonly PlaybookTrend[], paint: Paint): string {
  if (trends.length === 0) return 'no readable runs to show a trend for';
  return trends.map((trend) => playbookBlock(trend, paint)).join('\n\n');
}

function playbookBlock(trend: PlaybookTrend, paint: Paint): string {
  const span =
    trend.runs > 1 ? `, ${when(trend.firstStartedAt)} to ${when(trend.lastStartedAt)} UTC` : `, ${when(trend.firstStartedAt)} UTC`;
  const head = `${paint.strong(trend.playbook)} — ${trend.title}: ${count(trend.runs, 'run')}${span}`;
  if (trend.objectives.length === 0) return `${head}\n  no objectives to follow`;
  const labels = trend.objectives.map(objectiveShortLabel);
  const width = Math.max(...labels.map((label) => label.length));
  const lines = trend.objectives.map(
    (o, i) => `  ${(labels[i] ?? '').padEnd(width)}  ${sparkline(o.points.map((p) => p.measuredMs))}  ${statsText(o, paint)}`,
  );
  return [head, ...lines].join('\n');
}

function statsText(o: ObjectiveTrend, paint: Paint): string {
  const missed = o.stats.missed > 0 ? paint.bad(`, ${o.stats.missed} missed`) : '';
  const parts = trendStatsParts(o);
  parts.push(`${parts.pop() ?? ''}${missed}`);
  return parts.join('  ');
}

/** "min 3.251s", "median 3.502s", "last 3.402s", "target 30s", "4 of 5 runs measured": shared with the HTML page. */
export function trendStatsParts(o: ObjectiveTrend): string[] {
  const s = o.stats;
  const parts: string[] = [];
  if (s.minMs !== null && s.medianMs !== null) parts.push(`min ${formatMeasured(s.minMs)}`, `median ${formatMeasured(s.medianMs)}`);
  parts.push(s.lastMs === null ? 'last not measured' : `last ${formatMeasured(s.lastMs)}`);
  if (s.targetMs !== null) parts.push(`target ${formatTarget(s.targetMs)}`);
  parts.push(`${s.measured} of ${count(o.points.length, 'run')} measured`);
  return parts;
}
