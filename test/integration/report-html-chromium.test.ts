import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audience } from '../../src/report/document-types.js';
import { reportFileName, writeReports } from '../../src/report/write-reports.js';
import { ARTIFACTS_DIR, DEFAULT_VIEWPORT, type OpenedPage, withPage } from '../support/chromium.js';
import type { RegionLossOutcome } from '../unit/journal/support/region-loss-drill.js';
import { CROWDED_NAMES } from '../unit/report/support/crowded-drill.js';
import { recordCrowdedRunDir, recordRunDir } from '../unit/report/support/scenario.js';

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
    expect(box !== null && box.width > 0 && box.height > 0, `figure ${i} (${await figures.nth(i).getAttribute('class')}) has a size`).toBe(
      true,
    );
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
          expect.soft(await chartTextProblems(page), 'chart texts on screen').toEqual([]);
          expect.soft(await wordsBrokenInTables(page), 'words in tables on screen').toEqual([]);

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
          expect.soft(await chartTextProblems(page), 'chart texts on A4').toEqual([]);
          expect.soft(await wordsBrokenInTables(page), 'words in tables on A4').toEqual([]);

          expect(caught(opened)).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
        });
      });
    }
  });
}

/** A box in CSS pixels of the page. */
interface Box {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Every text of every chart with its box, and the box of its chart: text that sticks out is
 * cut off by the picture's edge. Measured by the browser, as drawn.
 */
function chartTexts(page: Page): Promise<{ chart: string; svg: Box; texts: Box[] }[]> {
  // Runs in the page (as text: this project's TypeScript has no DOM types).
  return page.evaluate(`(() => {
    const box = (element, what) => {
      const r = element.getBoundingClientRect();
      return { what, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    return [...document.querySelectorAll('main svg')].map((svg, i) => ({
      chart: svg.getAttribute('class') + ' #' + i,
      svg: box(svg, 'svg'),
      texts: [...svg.querySelectorAll('text')].map((text) => box(text, text.textContent ?? '')),
    }));
  })()`);
}

function overlaps(a: Box, b: Box): boolean {
  const tolerance = 0.5;
  return (
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance
  );
}

/**
 * Words of table cells that the browser broke across lines, with the line each part is on. A
 * word is a run of letters and digits: a line may break at a space or after a separator
 * ("eu-" / "central", "drill." / "started" are fine), never inside the run ("starte" / "d").
 * An id of 32 or more hex digits is not a word anyone reads and may break after every 16th digit.
 */
function wordsBrokenInTables(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const broken = [];
    const range = document.createRange();
    const lineOf = (node, index) => {
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      const rect = [...range.getClientRects()].find((r) => r.width > 0);
      return rect === undefined ? undefined : Math.round(rect.top);
    };
    for (const cell of document.querySelectorAll('main td, main th')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
          const word = match[0];
          const hexId = /^[0-9a-f]{32,}$/.test(word);
          let previous = lineOf(node, match.index);
          for (let i = 1; i < word.length; i++) {
            const line = lineOf(node, match.index + i);
            if (line !== undefined && previous !== undefined && Math.abs(line - previous) > 2 && !(hexId && i % 16 === 0)) {
              broken.push(word.slice(0, i) + ' / ' + word.slice(i) + ' (in "' + (cell.textContent ?? '').slice(0, 60) + '")');
            }
            previous = line ?? previous;
          }
        }
      }
    }
    return broken;
  })()`);
}

/** Cells of the event table's first two columns (time, event name) that take more than one line. */
function eventCellsOnSeveralLines(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('#appendix-events td:nth-child(-n+2) code')]
    .filter((code) => code.getClientRects().length > 1)
    .map((code) => code.textContent ?? '')`);
}

/** Cut off by its chart's edge, or on top of another text of the same chart. */
async function chartTextProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const { chart, svg, texts } of await chartTexts(page)) {
    for (const text of texts) {
      if (text.left < svg.left - 0.5 || text.right > svg.right + 0.5 || text.top < svg.top - 0.5 || text.bottom > svg.bottom + 0.5) {
        problems.push(
          `${chart}: "${text.what}" sticks out of the chart (${Math.round(text.left - svg.left)}…${Math.round(text.right - svg.left)} of ${Math.round(svg.right - svg.left)} wide)`,
        );
      }
    }
    for (const [i, a] of texts.entries()) {
      for (const b of texts.slice(i + 1)) if (overlaps(a, b)) problems.push(`${chart}: "${a.what}" overlaps "${b.what}"`);
    }
  }
  return problems;
}

describe('report.html of a crowded drill (names of 90 characters, events within 100 ms, monitoring before identified), in headless Chromium', () => {
  let runDir: string;
  beforeAll(async () => {
    runDir = recordCrowdedRunDir(mkdtempSync(join(tmpdir(), 'firedrill-html-crowded-')));
    runDirs.push(runDir);
    await writeReports(runDir, { formats: ['html'] });
  });

  for (const audience of ['customer', 'engineering'] as const) {
    it(`${audience}: no chart label is cut off or drawn over another, no word in a table is broken, on screen and on A4`, async () => {
      await withPage(join(runDir, reportFileName('html', audience)), async (opened) => {
        const { page } = opened;
        const name = `report-crowded${audience === 'customer' ? '' : '.engineering'}`;
        await opened.screenshot(join(ARTIFACTS_DIR, `${name}.png`));
        await page.locator('section#timeline svg.timeline').screenshot({ path: join(ARTIFACTS_DIR, `${name}.timeline.png`) });

        expect.soft(await chartTextProblems(page), 'chart texts').toEqual([]);
        expect.soft(await wordsBrokenInTables(page), 'words in tables').toEqual([]);
        if (audience === 'engineering') expect.soft(await eventCellsOnSeveralLines(page), 'event names').toEqual([]);

        // A label too long for the chart ends in "…" there, and its whole text is its tooltip and in the steps table.
        const label = page.locator('svg.timeline text.label', { hasText: 'The gateway keeps answering' });
        expect.soft(await label.locator('title').allTextContents()).toEqual([CROWDED_NAMES.gateway]);
        expect(await page.locator('section#steps td', { hasText: CROWDED_NAMES.gateway }).count()).toBe(1);

        // The status page in time order, saying that monitoring came before identified.
        const stages = await page.locator('section#status-updates li strong').allInnerTexts();
        expect.soft(stages).toEqual(['Investigating', 'Monitoring', 'Identified', 'Resolved']);
        expect
          .soft(await page.locator('section#status-updates').innerText())
          .toContain('monitoring (the service was back and being watched) came before identified');

        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: A4_TEXT_WIDTH, height: A4_PORTRAIT.height });
        await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.a4.png`), fullPage: true });
        expect.soft(await chartTextProblems(page), 'chart texts').toEqual([]);
        expect.soft(await wordsBrokenInTables(page), 'words in tables').toEqual([]);
        if (audience === 'engineering') expect.soft(await eventCellsOnSeveralLines(page), 'event names').toEqual([]);
        expect.soft(await pageWidth(page), 'the printed page is no wider than A4 between its margins').toBeLessThanOrEqual(A4_TEXT_WIDTH);

        expect(caught(opened)).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      });
    });
  }
});
