import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/journal/reader.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { statusStages } from '../../../src/report/status-stages.js';
import { textWidth, wrapText, fitText } from '../../../src/report/text-width.js';
import { renderTimelineSvg } from '../../../src/report/timeline-svg.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { CROWDED_NAMES } from './support/crowded-drill.js';
import { recordCrowdedRunDir } from './support/scenario.js';

const tempDir = useTempDir();

async function crowdedSvg(): Promise<string> {
  const dir = recordCrowdedRunDir(tempDir());
  const model = buildDrillModel(await readJournal(join(dir, 'journal.jsonl')));
  return renderTimelineSvg(model, statusStages(model));
}

const unescapeText = (text: string) =>
  text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('the timeline chart, laid out from estimated text widths', () => {
  it('keeps every row label inside the picture: wrapped onto two lines, then cut with the whole name as its tooltip', async () => {
    const svg = await crowdedSvg();
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
    const labels = [...svg.matchAll(/<text class="label" text-anchor="end">(?:<title>(.*?)<\/title>)?(.*?)<\/text>/g)];
    expect(labels.length).toBe(4);
    for (const [, title, spans = ''] of labels) {
      const lines = [...spans.matchAll(/<tspan x="([\d.]+)" y="[\d.]+">(.*?)<\/tspan>/g)].map(([, x, text = '']) => ({
        right: Number(x),
        text: unescapeText(text),
      }));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) {
        expect(line.right - textWidth(line.text, 12), line.text).toBeGreaterThanOrEqual(0);
        expect(line.right).toBeLessThanOrEqual(width);
      }
      const shown = lines.map((l) => l.text).join(' ');
      if (title === undefined) expect(shown).not.toContain('…');
      else {
        expect(shown.endsWith('…')).toBe(true);
        expect(unescapeText(title).startsWith(shown.slice(0, -1).trimEnd())).toBe(true);
      }
    }
    expect(svg).toContain(`<title>${CROWDED_NAMES.gateway}</title>`);
  });

  it('gives status-page labels close together lanes of their own, none over another nor past an edge', async () => {
    const svg = await crowdedSvg();
    const boxes = [...svg.matchAll(/<text class="stage-label" x="([\d.]+)" y="([\d.]+)"( text-anchor="end")?>(\w+)<\/text>/g)].map(
      ([, x, y, end, stage = '']) => {
        const w = textWidth(stage, 11);
        const left = end ? Number(x) - w : Number(x);
        return { stage, left, right: left + w, baseline: Number(y) };
      },
    );
    expect(boxes.map((b) => b.stage)).toEqual(['investigating', 'monitoring', 'identified', 'resolved']);
    for (const [i, a] of boxes.entries()) {
      expect(a.left).toBeGreaterThanOrEqual(0);
      expect(a.right).toBeLessThanOrEqual(760);
      for (const b of boxes.slice(i + 1)) {
        const apart = a.baseline !== b.baseline || a.right <= b.left || b.right <= a.left;
        expect(apart, `${a.stage} and ${b.stage}`).toBe(true);
      }
    }
    // monitoring and identified are 8 ms apart: one under the other.
    const [, monitoring, identified] = boxes;
    expect(identified!.baseline).toBeGreaterThan(monitoring!.baseline);
  });
});

describe('text widths', () => {
  it('wraps at spaces, cuts the last line with "…", and says when it cut', () => {
    const { lines, cut } = wrapText(CROWDED_NAMES.quotes, 230, 12, 2);
    expect(lines).toEqual(['Quote cache in eu-central serves', 'prices no older than five seconds f…']);
    expect(cut).toBe(true);
    for (const line of lines) expect(textWidth(line, 12)).toBeLessThanOrEqual(230);
    expect(wrapText('status page', 230, 12, 2)).toEqual({ lines: ['status page'], cut: false });
  });

  it('breaks a word too long for a line after a separator, and takes a 40,000-character name in its stride', () => {
    expect(wrapText('fault ledger-primary-eu-west-stopped-during-trading-hours', 150, 12, 2).lines).toEqual([
      'fault ledger-primary-',
      'eu-west-stopped-duri…',
    ]);
    expect(wrapText('a'.repeat(40_000), 150, 12, 2).lines.map((l) => l.length)).toEqual([19, 18]);
    expect(fitText('short', 100, 11)).toBe('short');
  });

  it('never estimates narrower than the widest common font draws (DejaVu Sans), and counts any other character as a full em', () => {
    expect(textWidth('investigating', 11)).toBeGreaterThanOrEqual(71.5);
    expect(textWidth('数据库', 10)).toBeGreaterThanOrEqual(30);
  });
});
