import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linksIn } from './markdown-links.js';

/**
 * The README is what a newcomer reads in five minutes: what firedrill is, how to start, the
 * commands and exit codes, and where to read on. The reference lives in docs/, one page per
 * subject, each saying in its first paragraph what it holds and leading back to the README.
 */

const ROOT = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const docsPages = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort();

// About what a terminal or a browser shows before the reader scrolls.
const FIRST_SCREEN_LINES = 25;
// About five minutes of reading, tables and examples included.
const MOST_README_LINES = 250;

describe('the README', () => {
  it('shows the prerequisites and the two commands on its first screen', () => {
    const firstScreen = readme.split('\n').slice(0, FIRST_SCREEN_LINES).join('\n');
    expect(firstScreen).toContain('**Prerequisites:**');
    expect(firstScreen).toMatch(/^npm ci && npx firedrill demo$/m);
    expect(firstScreen).toMatch(/^npm ci && npm test$/m);
  });

  it('stays short enough to read in about five minutes', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(MOST_README_LINES);
  });

  it('keeps the commands table and the exit codes', () => {
    expect(readme).toMatch(/^## Commands$/m);
    expect(readme).toMatch(/^### Exit codes$/m);
    for (const code of [0, 1, 2, 3, 4, 5, 70]) expect(readme).toMatch(new RegExp(`^\\| ${code} \\| `, 'm'));
  });

  it('links every page of docs/', () => {
    const linked = new Set(linksIn(readme).map((link) => link.target.replace(/#.*$/, '')));
    expect(docsPages.length).toBeGreaterThan(0);
    for (const page of docsPages) expect(linked, `docs/${page}`).toContain(`docs/${page}`);
  });
});

describe('each page of docs/', () => {
  it.each(docsPages)('%s opens with its title and a paragraph that leads back to the README', (page) => {
    const text = readFileSync(join(ROOT, 'docs', page), 'utf8');
    const [title, summary] = text.split(/\n\s*\n/);
    expect(title).toMatch(/^# \S/);
    expect(summary).not.toMatch(/^(#|```|\||- )/);
    expect(linksIn(summary ?? '').map((link) => link.target)).toContain('../README.md');
  });
});
