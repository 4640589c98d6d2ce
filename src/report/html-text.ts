import { xmlSafe } from './xml-text.js';

/**
 * Text into HTML and SVG: escaped so that what a service printed reads as what it printed
 * and never becomes markup, cleaned as for any XML (xml-text.ts): terminal escapes and the
 * characters XML forbids removed.
 */
export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A coordinate for SVG: one decimal, no "-0", so the same model gives the same bytes. */
export function svgNumber(value: number): string {
  const fixed = (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
  return fixed === '-0' ? '0' : fixed;
}
