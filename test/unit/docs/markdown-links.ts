import { posix } from 'node:path';
import MarkdownIt from 'markdown-it';

/**
 * Finds the broken links of Markdown pages: a relative link to a file that does not exist, an
 * `#anchor` (on the same page or on another Markdown page) that no heading gives, an external
 * link whose URL does not parse. Nothing is fetched: external links are checked for syntax only.
 *
 * The pages are parsed as GitHub renders them (markdown-it, raw HTML allowed), so a link or a
 * `#` line inside a code block is neither a link nor a heading.
 */

/** Reads the files a link may point to; paths are relative to the repository's root, with '/'. */
export interface LinkSource {
  /** The text of a file, or undefined when there is none. */
  read(path: string): string | undefined;
  /** Whether a file or a directory exists there. */
  exists(path: string): boolean;
}

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  problem: string;
}

interface Link {
  target: string;
  line: number;
}

const parser = new MarkdownIt({ html: true, linkify: false });

type Token = ReturnType<MarkdownIt['parse']>[number];

/**
 * GitHub's anchor for a heading's text: lowercase, every character that is not a letter, a digit,
 * a space, '-' or '_' dropped, each space turned into '-'.
 */
export function slugOf(headingText: string): string {
  return headingText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page's headings give, with GitHub's numbering of repeats: `x`, `x-1`, `x-2` … */
export function headingAnchors(markdown: string): Set<string> {
  const tokens = parser.parse(markdown, {});
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const base = slugOf(plainText(tokens[index + 1]));
    let anchor = base;
    // A repeat is numbered from the count of its text, skipping anchors already taken.
    while (anchors.has(anchor)) {
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      anchor = `${base}-${count}`;
    }
    anchors.add(anchor);
  });
  return anchors;
}

/** A heading's text as GitHub slugs it: what is shown, without the Markdown around it. */
function plainText(inline: Token | undefined): string {
  const parts: string[] = [];
  for (const child of inline?.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
    else if (child.type === 'image') parts.push(child.content);
    else if (child.type === 'softbreak') parts.push(' ');
  }
  return parts.join('');
}

/** The targets of a page's links and images, each with the line it is on (1-based). */
export function linksIn(markdown: string): Link[] {
  const lines = markdown.split('\n');
  const links: Link[] = [];
  // A table cell's text carries no line numbers; its row (the last token that has them) does.
  let [from, to] = [0, lines.length];
  for (const block of parser.parse(markdown, {})) {
    if (block.map) [from, to] = block.map;
    if (block.type !== 'inline') continue;
    for (const child of block.children ?? []) {
      const attribute = child.type === 'link_open' ? 'href' : child.type === 'image' ? 'src' : undefined;
      if (!attribute) continue;
      const target = decoded(child.attrGet(attribute) ?? '');
      // The block's line that holds the target, so the message points at it.
      const offset = lines.slice(from, to).findIndex((line) => line.includes(target));
      links.push({ target, line: from + 1 + Math.max(offset, 0) });
    }
  }
  return links;
}

/** markdown-it percent-encodes what it keeps of a URL; the file system and the anchors do not. */
function decoded(target: string): string {
  try {
    return decodeURI(target);
  } catch {
    return target;
  }
}

/** Every broken link of the given pages (paths relative to the root, with '/'). */
export function brokenLinks(pages: readonly string[], source: LinkSource): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string> | undefined>();
  const anchors = (path: string): Set<string> | undefined => {
    if (!anchorsOf.has(path)) {
      const text = source.read(path);
      anchorsOf.set(path, text === undefined ? undefined : headingAnchors(text));
    }
    return anchorsOf.get(path);
  };
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const text = source.read(page);
    if (text === undefined) {
      broken.push({ file: page, line: 0, target: page, problem: 'the page itself does not exist' });
      continue;
    }
    for (const link of linksIn(text)) {
      const problem = problemOf(page, link.target, source, anchors);
      if (problem) broken.push({ file: page, line: link.line, target: link.target, problem });
    }
  }
  return broken;
}

function problemOf(
  page: string,
  target: string,
  source: LinkSource,
  anchors: (path: string) => Set<string> | undefined,
): string | undefined {
  if (target.trim() === '') return 'the link has no target';
  if (target.startsWith('//')) return 'a link without a scheme to another host: write https://';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined) return externalProblem(target, scheme);

  const hashAt = target.indexOf('#');
  const pathPart = (hashAt < 0 ? target : target.slice(0, hashAt)).replace(/\?.*$/, '');
  const anchor = hashAt < 0 ? undefined : target.slice(hashAt + 1);
  let path = page;
  if (pathPart !== '') {
    // A link starting with '/' is read from the repository's root, as GitHub reads it.
    path = posix.normalize(pathPart.startsWith('/') ? pathPart.slice(1) : posix.join(posix.dirname(page), pathPart));
    if (path === '..' || path.startsWith('../')) return 'it points outside the repository';
    if (!source.exists(path.replace(/\/$/, '') || '.')) return `no file or directory ${path}`;
  }
  if (anchor === undefined) return undefined;
  if (anchor === '') return 'an empty anchor';
  if (!path.toLowerCase().endsWith('.md')) return undefined; // anchors of other files (#L10 …) are GitHub's own
  const known = anchors(path);
  if (!known?.has(anchor)) return `no heading in ${path} gives the anchor #${anchor}`;
  return undefined;
}

function externalProblem(target: string, scheme: string): string | undefined {
  if (scheme !== 'http' && scheme !== 'https') return `the scheme ${scheme}: is not a web link (only http and https are)`;
  if (/\s/.test(target)) return 'the URL holds white space';
  try {
    const url = new URL(target);
    if (url.hostname === '') return 'the URL has no host';
  } catch {
    return 'the URL does not parse';
  }
  return undefined;
}
