import { createHash } from 'node:crypto';
import { escapeRegExp } from '../regexp-text.js';

/** Hex digits of the fingerprint: enough to tell a team's webhooks apart, far too few to recover a token. */
const FINGERPRINT_HEX = 6;

/**
 * A webhook URL as it may be journaled and shown: `scheme://host[:port]` and, when there is a
 * path or a query, `/…#` and a short fingerprint of them. Chat and status-page webhooks
 * (Slack, Discord, Teams) carry their secret in the path, so neither the path nor the query is
 * ever shown; the fingerprint is stable, so two updates sent to the same URL show the same
 * target, and two webhooks on one host show different ones. Credentials and the fragment
 * (never sent) are dropped. Every place that shows or journals a webhook URL goes through here.
 */
export function publicTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an invalid URL)';
  }
  const origin = `${parsed.protocol}//${parsed.host}`;
  const rest = `${parsed.pathname}${parsed.search}`;
  if (rest === '/' || rest === '') return `${origin}/`;
  return `${origin}/…#${createHash('sha256').update(rest).digest('hex').slice(0, FINGERPRINT_HEX)}`;
}

/** Shorter pieces of a path or query are not secrets, and replacing them would garble the text. */
const MIN_PIECE = 4;

/**
 * `text` with every spelling of the webhook URL, and its path and query on their own, replaced
 * by its public target: errors (fetch's among them) may quote any of them.
 */
export function withoutWebhookUrl(text: string, url: string): string {
  const spellings = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    const credentials = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
    const origin = `${parsed.protocol}//${credentials}${parsed.host}`;
    for (const spelling of [parsed.href, `${origin}${parsed.pathname}${parsed.search}`, `${origin}${parsed.pathname}`])
      spellings.add(spelling);
    for (const piece of [`${parsed.pathname}${parsed.search}`, parsed.pathname, parsed.search.slice(1)])
      if (piece.length >= MIN_PIECE) spellings.add(piece);
  } catch {
    // Not a URL: only its own spelling can be replaced.
  }
  // One pass, longest spelling first: a URL is replaced whole, and what was put in is not scanned again.
  const alternatives = [...spellings].filter((spelling) => spelling.length > 0).sort((a, b) => b.length - a.length);
  if (alternatives.length === 0) return text;
  const shown = publicTarget(url);
  return text.replace(new RegExp(alternatives.map(escapeRegExp).join('|'), 'g'), () => shown);
}
