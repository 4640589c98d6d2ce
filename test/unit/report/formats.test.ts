import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportDocument } from '../../../src/report/document-types.js';
import type * as Formats from '../../../src/report/formats.js';
import type { DrillModel } from '../../../src/report/model-types.js';
import { captureIo } from '../history/support/capture-io.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { recordRunDir } from './support/scenario.js';

const FORMATS = '../../../src/report/formats.js';
/** What writes the reports people read: none of it may load for the machines' reports, nor any renderer to list the formats. */
const PEOPLE_RENDERING = ['../../../src/report/report-document.js', '../../../src/report/markdown.js', '../../../src/report/html.js'];
const MACHINE_RENDERING = ['../../../src/report/json.js', '../../../src/report/junit.js'];
const tempDir = useTempDir();

afterEach(() => {
  for (const path of [FORMATS, ...PEOPLE_RENDERING, ...MACHINE_RENDERING]) vi.doUnmock(path);
  vi.resetModules();
});

/** Fresh copies of the writer and the command line, which read the formats module as mocked meanwhile. */
async function freshModules() {
  const { writeReports } = await import('../../../src/report/write-reports.js');
  const { main } = await import('../../../src/cli/main.js');
  return { writeReports, main };
}

describe('report formats', () => {
  it('added to the map, are written and offered by `report --format`, with no other line', async () => {
    vi.resetModules();
    let actualNames: readonly string[] = [];
    vi.doMock(FORMATS, async (importOriginal) => {
      const actual = await importOriginal<typeof Formats>();
      actualNames = actual.REPORT_FORMATS;
      const reportFormats = {
        ...actual.reportFormats,
        // Names no real format will take: the test adds them beside the real ones.
        postcard: {
          files: { customer: 'postcard.txt', engineering: 'postcard.engineering.txt' },
          renderer: async () => (doc: ReportDocument) => `${doc.audience}: ${doc.title}\n`,
        },
        telegram: { file: 'telegram.txt', renderer: async () => (model: DrillModel) => `${model.verdict}\n` },
      };
      return { ...actual, reportFormats, REPORT_FORMATS: Object.keys(reportFormats) };
    });
    const { writeReports, main } = await freshModules();
    const dir = recordRunDir(tempDir(), 'passed');
    const { files } = await writeReports(dir, { formats: ['telegram', 'postcard', 'md'] as Formats.ReportFormat[] });
    expect(files.map((file) => file.slice(dir.length + 1))).toEqual([
      'report.md',
      'postcard.txt',
      'report.engineering.md',
      'postcard.engineering.txt',
      'telegram.txt',
    ]);
    expect(readFileSync(join(dir, 'telegram.txt'), 'utf8')).toBe('passed\n');
    expect(readFileSync(join(dir, 'postcard.engineering.txt'), 'utf8')).toMatch(/^engineering: \S/);

    const other = recordRunDir(tempDir(), 'passed');
    const captured = captureIo();
    expect(await main(['report', other, '--format', 'telegram'], captured.io)).toBe(0);
    expect(readdirSync(other).sort()).toEqual(['journal.jsonl', 'telegram.txt']);
    const help = captureIo();
    await main(['report', '--help'], help.io);
    const choices = [...actualNames, 'postcard', 'telegram', 'all'].map((name) => `"${name}"`).join(', ');
    expect(help.stdout().replace(/\s+/g, ' ')).toContain(`(choices: ${choices}, default: "all")`);
  });

  it('for machines load nothing of the reports people read', async () => {
    vi.resetModules();
    for (const path of PEOPLE_RENDERING) {
      vi.doMock(path, () => {
        throw new Error(`${path} was loaded`);
      });
    }
    const { writeReports } = await freshModules();
    const dir = recordRunDir(tempDir(), 'objective-missed');
    const { files } = await writeReports(dir, { formats: ['json', 'junit'] });
    expect(files.map((file) => file.slice(dir.length + 1))).toEqual(['report.json', 'junit.xml']);
  });

  it('are listed by the command line without loading a renderer', async () => {
    vi.resetModules();
    for (const path of [...PEOPLE_RENDERING, ...MACHINE_RENDERING]) {
      vi.doMock(path, () => {
        throw new Error(`${path} was loaded`);
      });
    }
    const { main } = await import('../../../src/cli/main.js');
    const help = captureIo();
    expect(await main(['report', '--help'], help.io)).toBe(0);
    expect(help.stdout().replace(/\s+/g, ' ')).toContain('(choices: "md", "html", "json", "junit", "all", default: "all")');
    const refused = captureIo();
    expect(await main(['report', 'run-dir', '--format', 'pdf'], refused.io)).toBe(2);
    expect(refused.stderr()).toBe(
      "error: option '--format <format>' argument 'pdf' is invalid. Allowed choices are md, html, json, junit, all.\n(run firedrill --help for usage)\n",
    );
  });
});
