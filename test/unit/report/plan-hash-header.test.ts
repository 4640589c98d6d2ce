import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/journal/entry.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import type { DrillModel } from '../../../src/report/model-types.js';
import { reportDocument } from '../../../src/report/report-document.js';
import { buildDrillModel } from '../../../src/report/model.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { scenario } from './support/scenario.js';

const tempDir = useTempDir();

/** The engineering report: everything unredacted, so these checks see the journal's own words. */
function engineeringMarkdown(model: DrillModel): string {
  return renderMarkdown(reportDocument(model, 'engineering'));
}
const HASH = '8c959ba76056b6073e75131a8928d3b3089c856aaee8dbfa8e542d4871776ef4';

/** The scenario's journal as a run that recorded its plan hash in drill.started. */
function withPlanHash(entries: JournalEntry[]): JournalEntry[] {
  return entries.map((entry) =>
    entry.type === 'drill.started' ? ({ ...entry, data: { ...entry.data, planHash: HASH } } as JournalEntry) : entry,
  );
}

describe('the plan hash in the reports', () => {
  it('is in the report header and in report.json, so an approver can match the plan they saw', async () => {
    const { entries } = await scenario(tempDir(), 'passed');
    const model = buildDrillModel(withPlanHash(entries));
    expect(model.planHash).toBe(HASH);
    const header = engineeringMarkdown(model).split('\n## ')[0]!;
    expect(header).toContain(`| Plan hash | \`${HASH}\` |`);
    expect(JSON.parse(renderJson(model)).planHash).toBe(HASH);
  });

  it('is left out for a journal that has none (recorded before plan hashes)', async () => {
    const { model } = await scenario(tempDir(), 'passed');
    expect(model.planHash).toBeNull();
    expect(engineeringMarkdown(model)).not.toContain('Plan hash');
    expect(JSON.parse(renderJson(model))).not.toHaveProperty('planHash');
  });
});
