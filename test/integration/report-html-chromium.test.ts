import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audience } from '../../src/report/report-document.js';
import { reportFileName, writeReports } from '../../src/report/write-reports.js';
import { ARTIFACTS_DIR, DEFAULT_VIEWPORT, type OpenedPage, withPage } from '../support/chromium.js';
import type { RegionLossOutcome } from '../unit/journal/support/region-loss-drill.js';
import { recordRunDir } from '../unit/report/support/scenario.js';

// Each scripted outcome of the region-loss drill and the verdict its report must show.
const VERDICT_SHOWN = {
  passed: { verdict: 'passed', label: 'Passed' },
  'objective-missed': { verdict: 'failed', label: 'Failed' },
  'aborted-by-signal': { verdict: 'aborted', label: 'Aborted' },
  'stopped-by-condition': { verdict: 'aborted', label: 'Aborted' },
  'rollback-incomplete': { verdict: 'rollback-incomplete', label: 'Rollback incomplete' },
  'cut-off': { verdict: 'incomplete', label: 'Incomplete' },
} satisfies Record<RegionLossOutcome, { verdict: string; label: string }>;

// What a reader must find in every report, on screen and on paper.
const ESSENTIAL_SECTIONS = [
  ['simulated', 'What we simulated'],
  ['customer-impact', 'What customers would have seen'],
  ['objectives', 'Objectives'],
  ['status-updates', 'Status page'],
  ['timeline', 'Timeline'],
] as const;

const A4_PORTRAIT = { width: 794, height: 1123 }; // CSS pixels at 96 dpi
const PRINT_MARGIN_PX = Math.round((14 / 25.4) * 96); // the report's @page margin, 14 mm
const A4_TEXT_WIDTH = A4_PORTRAIT.width - 2 * PRINT_MARGIN_PX;

const runDirs: string[] = [];
afterAll(() => {
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
});

function artifact(outcome: RegionLossOutcome, audience: Audience, ext: 'png' | 'pdf'): string {
  return join(ARTIFACTS_DIR, `report-${outcome}${audience === 'customer' ? '' : '.engineering'}.${ext}`);
}

async function boxOf(page: Page, selector: string): Promise<{ width: number; height: number; right: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} has no box: it is not rendered`);
  return { width: box.width, height: box.height, right: box.x + box.width };
}

/** The verdict, the essential sections and every figure are rendered, visible and not empty. */
async function expectEssentialsVisible(page: Page, shown: { verdict: string; label: string }): Promise<void> {
  const header = page.locator('header.verdict');
  expect(await header.isVisible()).toBe(true);
  expect(await header.getAttribute('class')).toBe(`verdict verdict-${shown.verdict}`);
  expect(await header.innerText()).toMatch(new RegExp(`Verdict: ${shown.label} \\((exit code \\d+|no exit code)\\)`));
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^Drill report: /);

  for (const [id, title] of ESSENTIAL_SECTIONS) {
    const heading = page.locator(`section#${id}`).getByRole('heading', { level: 2, name: title, exact: true });
    expect(await heading.isVisible(), `the heading "${title}"`).toBe(true);
    const body = (await page.locator(`section#${id}`).innerText()).replace(title, '').trim();
    expect(body.length, `the text under "${title}"`).toBeGreaterThan(20);
  }

  const timeline = await boxOf(page, 'section#timeline svg.timeline');
  expect(timeline.width).toBeGreaterThan(100);
  expect(timeline.height).toBeGreaterThan(20);
  expect(await page.locator('section#timeline svg.timeline rect').count()).toBeGreaterThan(0);
  const figures = page.locator('main svg');
  for (let i = 0; i < (await figures.count()); i++) {
    const box = await figures.nth(i).boundingBox();
    expect(box !== null && box.width > 0 && box.height > 0, `figure ${i} (${await figures.nth(i).getAttribute('class')}) has a size`).toBe(true);
  }
}

/** How wide the laid-out document is: more than the window means it scrolls sideways. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

function pdfPageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  return text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

function caught(opened: OpenedPage): { consoleErrors: string[]; pageErrors: string[]; requests: string[] } {
  return { consoleErrors: opened.consoleErrors, pageErrors: opened.pageErrors, requests: opened.requests };
}

for (const [outcome, shown] of Object.entries(VERDICT_SHOWN) as [RegionLossOutcome, (typeof VERDICT_SHOWN)[RegionLossOutcome]][]) {
  describe(`report.html of a region-loss drill that ended ${outcome}, in headless Chromium`, () => {
    let runDir: string;
    beforeAll(async () => {
      runDir = recordRunDir(mkdtempSync(join(tmpdir(), `firedrill-html-${outcome}-`)), outcome);
      runDirs.push(runDir);
      await writeReports(runDir, { formats: ['html'] });
    });

    for (const audience of ['customer', 'engineering'] as const) {
      it(`${audience}: shows "Verdict: ${shown.label}" and every essential section, quietly and offline, on screen and in print`, async () => {
        await withPage(join(runDir, reportFileName('html', audience)), async (opened) => {
          const { page } = opened;
          await expectEssentialsVisible(page, shown);
          await opened.screenshot(artifact(outcome, audience, 'png'));
          const screenText = await page.locator('body').innerText();
          // Soft: a page that scrolls sideways is worth reporting with everything else that is wrong.
          expect.soft(await pageWidth(page), 'the page is no wider than the window').toBeLessThanOrEqual(DEFAULT_VIEWPORT.width);

          // Paper: the print styles apply, hide no text, and nothing sticks out past an A4 page.
          await page.emulateMedia({ media: 'print' });
          await page.setViewportSize({ width: A4_TEXT_WIDTH, height: A4_PORTRAIT.height });
          expect(await page.evaluate<boolean>("matchMedia('print').matches")).toBe(true);
          await expectEssentialsVisible(page, shown);
          expect(await page.locator('body').innerText()).toBe(screenText);
          const pdf = await page.pdf({ format: 'A4', printBackground: true });
          writeFileSync(artifact(outcome, audience, 'pdf'), pdf);
          expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
          expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(1);
          // Wider than the paper is cut off (or the whole page shrunk) when printed.
          expect.soft(await pageWidth(page), 'the printed page is no wider than A4 between its margins').toBeLessThanOrEqual(A4_TEXT_WIDTH);

          expect(caught(opened)).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
        });
      });
    }
  });
}
