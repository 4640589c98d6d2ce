import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../../src/report/write-reports.js';
import { useTempDir } from '../journal/support/temp-dir.js';
import { recordRunDir } from './support/scenario.js';

const tempDir = useTempDir();
const originalTz = process.env.TZ;
const ALL = ['junit.xml', 'report.engineering.html', 'report.engineering.md', 'report.html', 'report.json', 'report.md'];

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function readReports(dir: string): Record<string, Buffer> {
  return Object.fromEntries(ALL.map((name) => [name, readFileSync(join(dir, name))]));
}

describe('writeReports', () => {
  it('writes every format for both audiences beside the journal, and nothing else', async () => {
    const dir = recordRunDir(tempDir(), 'passed');
    const { files } = await writeReports(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(ALL);
    // In the order of the formats' map: each audience's reports together, then those for machines.
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'report.md',
      'report.html',
      'report.engineering.md',
      'report.engineering.html',
      'report.json',
      'junit.xml',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['journal.jsonl', ...ALL].sort());
  });

  it('writes only the formats and audiences asked for', async () => {
    const dir = recordRunDir(tempDir(), 'passed');
    await writeReports(dir, { formats: ['html', 'junit'], audiences: ['engineering'] });
    expect(readdirSync(dir).sort()).toEqual(['journal.jsonl', 'junit.xml', 'report.engineering.html']);
  });

  it('regenerates byte-identical reports from the journal alone', async () => {
    const dir = recordRunDir(tempDir(), 'rollback-incomplete');
    await writeReports(dir);
    const first = readReports(dir);
    for (const name of ALL) rmSync(join(dir, name));
    await writeReports(dir);
    expect(readReports(dir)).toEqual(first);
    await writeReports(dir);
    expect(readReports(dir)).toEqual(first);
  });

  it('gives the same bytes whatever the time zone', async () => {
    const outputs: Record<string, Buffer>[] = [];
    for (const tz of ['UTC', 'Pacific/Chatham', 'America/St_Johns']) {
      process.env.TZ = tz;
      const dir = recordRunDir(tempDir(), 'objective-missed');
      await writeReports(dir);
      outputs.push(readReports(dir));
    }
    expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).not.toBe(0); // the zone really changed
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
  });
});
