import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, firedrill } from './cli-process.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/journals');
const REPORTS = ['junit.xml', 'report.engineering.html', 'report.engineering.md', 'report.html', 'report.json', 'report.md'];

/** A fixture run directory with only its journal, as `firedrill report` finds one weeks later. */
function journalOnly(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'firedrill-report-')), name);
  cpSync(join(FIXTURES, name, 'journal.jsonl'), join(dir, 'journal.jsonl'));
  return dir;
}

function read(dir: string): Record<string, Buffer> {
  return Object.fromEntries(REPORTS.map((name) => [name, readFileSync(join(dir, name))]));
}

describe('firedrill report', () => {
  it('--format all writes every report, and byte-identical files the second time', async () => {
    const dir = journalOnly('region-a-loss-stopped');
    const first = await firedrill(['report', dir, '--format', 'all']);
    expect(first.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['journal.jsonl', ...REPORTS].sort());
    const before = read(dir);
    const second = await firedrill(['report', dir, '--format', 'all']);
    expect(second.exitCode).toBe(0);
    expect(read(dir)).toEqual(before);
    // and the same bytes as the committed fixture, written by another process long ago
    for (const name of REPORTS) expect(before[name]!.equals(readFileSync(join(FIXTURES, 'region-a-loss-stopped', name))), name).toBe(true);
  });

  it('writes only the format and audience asked for', async () => {
    const dir = journalOnly('region-a-loss-passed');
    const result = await firedrill(['report', dir, '--format', 'html', '--audience', 'customer']);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['journal.jsonl', 'report.html']);
    expect(result.stdout).toContain('report.html');
  });

  it('--compare says what got better or worse, and writes nothing', async () => {
    const passed = journalOnly('region-a-loss-passed');
    const stopped = journalOnly('region-a-loss-stopped');
    const result = await firedrill(['report', stopped, '--compare', passed]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Shop answers from region b/);
    expect(readdirSync(stopped)).toEqual(['journal.jsonl']);
    const json = await firedrill(['report', stopped, '--compare', passed, '--json']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(String(json.stdout))).toHaveProperty('objectives');
  });

  it('refuses an unknown format with the usage exit code', async () => {
    const result = await firedrill(['report', journalOnly('region-a-loss-passed'), '--format', 'pdf']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('pdf');
  });
});
