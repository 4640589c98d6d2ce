import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchors, type LinkSource, linksIn, slugOf } from './markdown-links.js';

const ROOT = join(import.meta.dirname, '../../..');

/** The project's own documentation: what a reader follows links through. */
function documentationPages(): string[] {
  const pages = ['README.md'];
  if (existsSync(join(ROOT, 'CONTRIBUTING.md'))) pages.push('CONTRIBUTING.md');
  const docs = join(ROOT, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) pages.push(`docs/${name}`);
  }
  return pages;
}

const repository: LinkSource = {
  read: (path) => {
    const full = join(ROOT, path);
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : undefined;
  },
  exists: (path) => existsSync(join(ROOT, path)),
};

/** A repository held in memory: file path → text ('' for a file that is not Markdown). */
function memory(files: Record<string, string>): LinkSource {
  const directories = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) directories.add(parts.slice(0, depth).join('/'));
  }
  return {
    read: (path) => files[path],
    exists: (path) => path === '.' || path in files || directories.has(path),
  };
}

describe('the links of the documentation', () => {
  it('all lead somewhere: files that exist, headings that exist, URLs that parse', () => {
    const pages = documentationPages();
    expect(pages).toContain('README.md');
    expect(brokenLinks(pages, repository)).toEqual([]);
  });
});

describe('anchors, as GitHub makes them from headings', () => {
  it('lowercases, drops punctuation but - and _, turns spaces into -', () => {
    expect(slugOf('How validate reads a playbook')).toBe('how-validate-reads-a-playbook');
    expect(slugOf('What customers see: redaction')).toBe('what-customers-see-redaction');
    expect(slugOf('Safety: plan, confirm, scope, one drill at a time')).toBe('safety-plan-confirm-scope-one-drill-at-a-time');
    expect(slugOf('snake_case & kebab-case (v2.1)!')).toBe('snake_case--kebab-case-v21');
    expect(slugOf('Größe — über alles')).toBe('größe--über-alles');
  });

  it('takes the text a heading shows, without its code marks, emphasis or link syntax', () => {
    const anchors = headingAnchors('## How `validate` reads a **playbook**\n\n### See [the faults](faults.md)\n');
    expect([...anchors]).toEqual(['how-validate-reads-a-playbook', 'see-the-faults']);
  });

  it('numbers repeated headings -1, -2 …, past an anchor a heading already took', () => {
    const anchors = headingAnchors('# Notes\n\n## Notes\n\n## Notes-1\n\n## Notes\n\nSetext\n======\n');
    expect([...anchors]).toEqual(['notes', 'notes-1', 'notes-1-1', 'notes-2', 'setext']);
  });

  it('reads no heading inside a fenced code block', () => {
    expect([...headingAnchors('```yaml\n# a comment, not a heading\n```\n\n## Real\n')]).toEqual(['real']);
  });
});

describe('finding broken links', () => {
  const site = memory({
    'README.md': '# Guide\n\n## Start here\n\nSee [faults](docs/faults.md#isolate) and [start](#start-here).\n',
    'docs/faults.md': '# Faults\n\n## Isolate\n\nBack to the [README](../README.md#guide).\n',
    'src/main.ts': '',
  });

  it('finds nothing wrong with links that lead somewhere', () => {
    expect(brokenLinks(['README.md', 'docs/faults.md'], site)).toEqual([]);
  });

  it('reports a link to a file that does not exist, with its page and line', () => {
    const source = memory({ 'README.md': '# Guide\n\nText.\n\nRead [the faults](docs/fault.md) first.\n' });
    expect(brokenLinks(['README.md'], source)).toEqual([
      { file: 'README.md', line: 5, target: 'docs/fault.md', problem: 'no file or directory docs/fault.md' },
    ]);
  });

  it('gives the line of a broken link in a table cell', () => {
    const source = memory({ 'README.md': '# Guide\n\n| a | b |\n| --- | --- |\n| one | two |\n| three | [x](#nowhere) |\n' });
    expect(brokenLinks(['README.md'], source).map((broken) => broken.line)).toEqual([6]);
  });

  it('reports an anchor no heading of the same page gives', () => {
    const source = memory({ 'README.md': '# Guide\n\n## Start here\n\n[start](#start)\n' });
    expect(brokenLinks(['README.md'], source)).toEqual([
      { file: 'README.md', line: 5, target: '#start', problem: 'no heading in README.md gives the anchor #start' },
    ]);
  });

  it('reports an anchor no heading of the other page gives, and the second of two repeated headings is -1', () => {
    const source = memory({
      'README.md': '[one](docs/a.md#setup-1) [two](docs/a.md#setup-2)\n',
      'docs/a.md': '## Setup\n\n## Setup\n',
    });
    expect(brokenLinks(['README.md'], source).map((broken) => broken.target)).toEqual(['docs/a.md#setup-2']);
  });

  it('resolves links from the page that holds them, and refuses one that leaves the repository', () => {
    const source = memory({
      'docs/a.md': '[up](../src/main.ts) [dir](../src/) [root](/src/main.ts) [wrong](src/main.ts) [out](../../etc/passwd)\n',
      'src/main.ts': '',
    });
    expect(brokenLinks(['docs/a.md'], source).map((broken) => [broken.target, broken.problem])).toEqual([
      ['src/main.ts', 'no file or directory docs/src/main.ts'],
      ['../../etc/passwd', 'it points outside the repository'],
    ]);
  });

  it('leaves the anchors of files that are not Markdown alone', () => {
    expect(brokenLinks(['README.md'], memory({ 'README.md': '[line](src/main.ts#L10)\n', 'src/main.ts': '' }))).toEqual([]);
  });

  it('checks external links for syntax only, and only http and https', () => {
    const source = memory({
      'README.md': [
        '[fine](https://example.com/a?b=c#d)',
        '[no host](http://)',
        '[no scheme](//example.com/x)',
        '[ftp](ftp://example.com/file)',
        '[bad port](https://example.com:99999/)',
      ].join('\n\n'),
    });
    expect(brokenLinks(['README.md'], source).map((broken) => [broken.line, broken.problem])).toEqual([
      [3, 'the URL does not parse'],
      [5, 'a link without a scheme to another host: write https://'],
      [7, 'the scheme ftp: is not a web link (only http and https are)'],
      [9, 'the URL does not parse'],
    ]);
  });

  it('ignores what only looks like a link inside code', () => {
    const page = '`[not](a-link.md)`\n\n```md\n[nor](this.md)\n```\n\n    [nor](that.md)\n\nBut [this](real.md) is one.\n';
    expect(linksIn(page)).toEqual([{ target: 'real.md', line: 9 }]);
  });

  it('reports a missing image as it reports a missing file', () => {
    const source = memory({ 'README.md': '![diagram](docs/diagram.svg)\n' });
    expect(brokenLinks(['README.md'], source).map((broken) => broken.problem)).toEqual(['no file or directory docs/diagram.svg']);
  });
});
