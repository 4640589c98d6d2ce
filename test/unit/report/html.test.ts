import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { reportDocument } from '../../../src/report/report-document.js';
import type { RegionLossOutcome } from '../journal/support/region-loss-drill.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();
const OUTCOMES: RegionLossOutcome[] = [
  'passed',
  'objective-missed',
  'aborted-by-signal',
  'stopped-by-condition',
  'rollback-incomplete',
  'cut-off',
];

describe('report.html', () => {
  it.each(OUTCOMES)('is self-contained for a %s drill: nothing it could fetch, nothing it could run', async (outcome) => {
    const { model } = await scenario(tempDir(), outcome);
    for (const audience of ['customer', 'engineering'] as const) {
      const html = renderHtml(reportDocument(model, audience));
      expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(|\bsrc=|\bhref=/i);
      expect(html).toContain("default-src 'none'");
      expect(html).toMatch(/<svg [^>]*class="timeline"/);
    }
  });

  it("is the Markdown report's twin: the same sections in the same order", async () => {
    const { model } = await scenario(tempDir(), 'stopped-by-condition');
    for (const audience of ['customer', 'engineering'] as const) {
      const doc = reportDocument(model, audience);
      const mdTitles = [...renderMarkdown(doc).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const htmlTitles = [...renderHtml(doc).matchAll(/<h2>(.+?)<\/h2>/g)].map((m) => m[1]);
      expect(htmlTitles).toEqual(mdTitles);
    }
  });

  it('shows text from services as text, never as markup', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const hostile = entries.map((e) =>
      e.type === 'action.finished'
        ? ({ ...e, data: { ...e.data, summary: '<script>alert(1)</script> & <img src=x>' } } as JournalEntry)
        : e,
    );
    const html = renderHtml(reportDocument(buildDrillModel(hostile), 'engineering'));
    // Line-break opportunities (<wbr>) may sit between the characters; the text is there, escaped.
    expect(html.replaceAll('<wbr>', '')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it('lets a line break inside a long word only after a separator (or every 16 digits of an id), and keeps event names whole', async () => {
    const { model } = await scenario(tempDir(), 'stopped-by-condition');
    const html = renderHtml(reportDocument(model, 'engineering'));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(style).not.toMatch(/overflow-wrap:\s*anywhere|word-break:\s*break-all/);
    expect(style).toContain('#appendix-events td:nth-child(-n+2) { white-space: nowrap; }');
    const breaks = [...html.matchAll(/<wbr>/g)].map((m) => html.slice(Math.max(0, m.index - 16), m.index));
    expect(breaks.length).toBeGreaterThan(100);
    for (const before of breaks) expect(before).toMatch(/(?:[/.:=_,-]|&amp;|[0-9a-f]{16})$/);
    // The JSON of an event breaks after its commas; a container id after its 16th and 32nd and 48th digit.
    const id = model.topology!.containers[0]!.id;
    expect(html).toContain(`${id.slice(0, 16)}<wbr>${id.slice(16, 32)}<wbr>${id.slice(32, 48)}<wbr>${id.slice(48)}`);
    expect(html).toMatch(/<td><code>step\.started<\/code><\/td>/);
  });

  it('gives the same bytes for the same journal', async () => {
    const { model } = await scenario(tempDir(), 'rollback-incomplete');
    const again = (await scenario(tempDir(), 'rollback-incomplete')).model;
    expect(renderHtml(reportDocument(again, 'engineering'))).toBe(renderHtml(reportDocument(model, 'engineering')));
  });

  it('adds the technical appendix, with a chart per wait step, only for engineers', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const engineering = renderHtml(reportDocument(model, 'engineering'));
    expect(engineering.match(/class="probe-chart"/g)).toHaveLength(2);
    expect(engineering).toContain('<h2>Appendix: every event</h2>');
    const customer = renderHtml(reportDocument(model, 'customer'));
    expect(customer).not.toContain('Appendix');
    expect(customer).not.toContain('probe-chart');
  });

  it('lets long words break after their separators so tables fit the page, and leaves short words whole', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    const html = renderHtml(reportDocument(model, 'engineering'));
    expect(html).toContain('http:<wbr>/<wbr>/<wbr>127.<wbr>0.<wbr>0.<wbr>1:<wbr>8080/<wbr>health');
    expect(html).toContain('<td>Lose region a</td>');
    expect(html.replaceAll('<wbr>', '')).toContain('http://127.0.0.1:8080/health');
  });
});
