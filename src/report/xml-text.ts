import { printable } from '../words/markdown-text.js';

/**
 * Putting text that came from a playbook, a probe or a container into XML 1.0. One stray control
 * character makes a whole document unreadable to a strict parser (and a CI server then shows no
 * results at all), so nothing from outside goes in unfiltered: terminal escape sequences are
 * removed with their parameters, then every character XML 1.0 forbids, then markup is escaped.
 */

/**
 * ESC followed by a control sequence (CSI: colours, cursor moves), an operating system command
 * (OSC: hyperlinks, window titles, ended by BEL or ESC \) or any other escape (ESC ( B …).
 */
const TERMINAL_ESCAPE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -/]*[0-~])/g;

/**
 * What XML 1.0 forbids beyond the C0 controls `printable` already drops: surrogates that are not
 * half of a pair (with the u flag a pair is one code point and does not match) and U+FFFE, U+FFFF.
 */
const NOT_XML_CHAR = /[\ud800-\udfff\ufffe\uffff]/gu;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // In attributes only: a parser turns a literal newline or tab there into a space.
  '\n': '&#10;',
  '\t': '&#9;',
};

/** The text without terminal escapes and without any character XML 1.0 forbids; newlines and tabs stay. */
export function xmlSafe(text: string): string {
  return printable(text.replace(TERMINAL_ESCAPE, '')).replace(NOT_XML_CHAR, '');
}

/** Element content: safe, with & < > " ' escaped. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** An attribute value for double quotes: safe, escaped, newlines and tabs kept as character references. */
export function xmlAttr(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\n\t]/g, (ch) => ESCAPES[ch] ?? ch);
}
