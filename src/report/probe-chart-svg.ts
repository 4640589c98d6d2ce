import { escapeHtml, svgNumber } from './html-text.js';
import type { StepModel } from './model-types.js';
import { niceCeiling, tickSeconds, timeScale, timeTicks } from './svg-axis.js';
import { formatMeasured, formatOffset } from '../words/time-format.js';

/**
 * One wait step's probe samples as a chart (for the engineering report): each point is a
 * sample, or a run of neighbouring samples when the step took many (sample-series.ts); its
 * height is the slowest answer in it, and it is drawn as failed when any sample in it failed.
 */

const WIDTH = 760;
const HEIGHT = 170;
const LEFT = 56;
const TOP = 12;
const PLOT_HEIGHT = 110;

export function renderProbeChartSvg(step: StepModel, spanMs: number): string {
  const series = step.wait?.series;
  const points = series?.points ?? [];
  const scale = timeScale(spanMs, LEFT, WIDTH - 16);
  const maxLatency = Math.max(1, ...points.map((p) => p.latencyMs));
  const top = niceCeiling(maxLatency);
  const y = (latency: number): number => TOP + PLOT_HEIGHT - (latency / top) * PLOT_HEIGHT;
  const failed = points.reduce((n, p) => n + p.failed, 0);
  const samples = points.reduce((n, p) => n + p.samples, 0);
  const per = series && series.perPoint > 1 ? `, up to ${series.perPoint} samples per point` : '';
  const summary = `${step.name}: ${samples} samples, ${failed} failed${per}`;
  const dots = points.map((p) => {
    const cls = p.failed > 0 ? 'sample failed' : 'sample';
    const when =
      p.samples > 1
        ? `${formatOffset(p.atMs)}–${formatOffset(p.untilMs)}, ${p.samples} samples, ${p.failed} failed`
        : `${formatOffset(p.atMs)}, ${p.failed ? 'failed' : 'held'}`;
    return `<circle class="${cls}" cx="${svgNumber(scale.x(p.atMs))}" cy="${svgNumber(y(p.latencyMs))}" r="2.5"><title>${escapeHtml(`${when}; slowest answer ${formatMeasured(p.latencyMs)}`)}</title></circle>`;
  });
  const axisY = TOP + PLOT_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="probe-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(summary)}">`,
    `<title>${escapeHtml(summary)}</title>`,
    timeTicks(scale, axisY, PLOT_HEIGHT),
    `<line class="axis" x1="${LEFT}" y1="${axisY}" x2="${WIDTH - 16}" y2="${axisY}"/>`,
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${axisY}"/>`,
    `<text class="tick" x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${tickSeconds(top)}</text>`,
    `<text class="tick" x="${LEFT - 6}" y="${axisY}" text-anchor="end">0</text>`,
    `<text class="tick" x="${LEFT}" y="${HEIGHT - 6}">answer time per sample (red: failed)</text>`,
    ...dots,
    '</svg>',
  ].join('\n');
}
