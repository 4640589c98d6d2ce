import { capitalised, code, inline, quoted } from '../words/markdown-text.js';
import { PLAIN, type Paint } from '../words/paint.js';

/**
 * What differs between the outputs a sentence is written for; the words do not. A sentence
 * function takes an event's data and a style, and nothing else decides how a fact reads.
 */
export interface Style {
  /** Emphasis. Colours (good, bad, warn, dim) are the terminal's alone; strong is also Markdown's `**`. */
  readonly paint: Paint;
  /** A name the playbook or the engine gave (a fault's ref, a project): a code span in Markdown, in quotes elsewhere. */
  code(text: string): string;
  /** A name a person wrote (a step, a stop condition, a drill's title), in quotes. */
  quote(text: string): string;
  /** Free text from elsewhere (a probe's summary, an error): escaped for Markdown, as it is elsewhere. */
  escape(text: string): string;
  /**
   * Whether the sentence carries the particulars a report keeps in its header and tables (the
   * run's id, the engine, a fault's plan, what a revert did): a log line has nothing else to
   * carry them, so the terminal's styles do; the report's timeline leaves them to the report.
   */
  readonly particulars: boolean;
  /**
   * One line's worth: lists become counts and quoted text is cut, for the live view's step titles,
   * which a glance must take in (the log and the reports say it whole).
   */
  readonly brief?: boolean;
}

/** The same style, for a one-line title. */
export function briefStyle(style: Style): Style {
  return { ...style, particulars: false, brief: true };
}

/** The terminal's style (the live view, the CI log, recover): the caller's paint, names in quotes. */
export function terminalStyle(paint: Paint): Style {
  return {
    paint,
    code: (text) => `"${text}"`,
    quote: (text) => `"${text}"`,
    escape: (text) => text,
    particulars: true,
  };
}

/** The terminal's words without emphasis. */
export const PLAIN_STYLE: Style = terminalStyle(PLAIN);

/** Markdown has no colour: only strong emphasis shows, as `**`. */
const MARKDOWN_PAINT: Paint = {
  good: (text) => text,
  bad: (text) => text,
  warn: (text) => text,
  dim: (text) => text,
  strong: (text) => `**${text}**`,
};

/** The report's style: Markdown emphasis, code spans, typographic quotes, everything else escaped. */
export const MARKDOWN_STYLE: Style = {
  paint: MARKDOWN_PAINT,
  code,
  quote: quoted,
  escape: inline,
  particulars: false,
};

/**
 * A clause as a sentence, as the report's timeline writes it: its first letter capitalised
 * (past any emphasis that opens it) and a full stop.
 */
export function asSentence(clause: string): string {
  const opening = /^[*_]*/.exec(clause)?.[0] ?? '';
  return `${opening}${capitalised(clause.slice(opening.length))}.`;
}
