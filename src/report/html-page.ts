import { escapeHtml } from './html-text.js';

/** The policy every page firedrill writes carries: inline style only, nothing to fetch or run. */
export const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * A self-contained HTML page around `body` (already HTML): UTF-8, the policy above, inline
 * style, no script. Shared by the drill reports and the history's trend page.
 */
export function htmlPage(page: {
  title: string;
  style: string;
  body: string[];
  bodyClass?: string;
  meta?: Record<string, string>;
}): string {
  const meta = Object.entries(page.meta ?? {}).map(
    ([name, content]) => `<meta name="${escapeHtml(name)}" content="${escapeHtml(content)}">`,
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...meta,
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${page.style}</style>`,
    '</head>',
    page.bodyClass ? `<body class="${escapeHtml(page.bodyClass)}">` : '<body>',
    ...page.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
