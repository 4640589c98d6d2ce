/**
 * How wide a line of text will be in the report's charts, estimated without a browser, so the
 * SVG can be laid out once, byte for byte the same on every machine. The widths are those of
 * DejaVu Sans, the widest of the fonts `system-ui` usually resolves to (Segoe UI, San
 * Francisco, Roboto, Helvetica and Liberation Sans are all narrower), and any character
 * outside ASCII counts as a full em (as wide as CJK), so an estimate errs on the wide side:
 * a label laid out by it may end early, never late.
 */

// Advance widths of ASCII 32..126 in thousandths of an em (DejaVu Sans Book).
const ASCII_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337,
  337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
  684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635,
  635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const OTHER_WIDTH = 1000;
/** Hinting and kerning differ a little between renderers; this much more is allowed for. */
const MARGIN = 1.04;
const ELLIPSIS = '…';

/** The estimated width in pixels of `text` on one line at `fontPx`. */
export function textWidth(text: string, fontPx: number): number {
  let thousandths = 0;
  for (const ch of text) thousandths += charWidth(ch);
  return toPx(thousandths, fontPx);
}

/** `text` cut to fit `maxPx` with "…" at the end; unchanged when it fits. */
export function fitText(text: string, maxPx: number, fontPx: number): string {
  if (textWidth(text, fontPx) <= maxPx) return text;
  const chars = fittingChars(text, maxPx - textWidth(ELLIPSIS, fontPx), fontPx);
  return `${chars.join('').trimEnd()}${ELLIPSIS}`;
}

/**
 * `text` in at most `maxLines` lines of at most `maxPx` each, broken at a space or after a
 * separator (- . / _ :), anywhere only inside a word with neither; the last line
 * ends in "…" when the text did not fit. `cut` says whether anything was left out.
 */
export function wrapText(text: string, maxPx: number, fontPx: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let rest = text.trim().replace(/\s+/g, ' ');
  while (rest !== '' && lines.length < maxLines - 1) {
    const line = firstLine(rest, maxPx, fontPx);
    lines.push(line.trimEnd());
    rest = rest.slice(line.length).trimStart();
  }
  if (rest === '') return { lines, cut: false };
  const last = fitText(rest, maxPx, fontPx);
  lines.push(last);
  return { lines, cut: last !== rest };
}

/** The longest start of `text` that fits and ends at a space or just after a separator (- . / _ :), else whatever fits. */
function firstLine(text: string, maxPx: number, fontPx: number): string {
  if (textWidth(text, fontPx) <= maxPx) return text;
  const head = fittingChars(text, maxPx, fontPx).join('');
  const breakAfter = Math.max(...[...' -./_:'].map((s) => head.lastIndexOf(s)));
  if (breakAfter > 0) return text.slice(0, breakAfter + 1);
  return head.length > 0 ? head : String.fromCodePoint(text.codePointAt(0) ?? 32);
}

/** The characters from the start of `text` that fit in `maxPx` (whole characters, never half a pair). */
function fittingChars(text: string, maxPx: number, fontPx: number): string[] {
  const kept: string[] = [];
  let thousandths = 0;
  for (const ch of text) {
    thousandths += charWidth(ch);
    if (toPx(thousandths, fontPx) > maxPx) break;
    kept.push(ch);
  }
  return kept;
}

function charWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 32 && code <= 126 ? (ASCII_WIDTHS[code - 32] ?? OTHER_WIDTH) : OTHER_WIDTH;
}

function toPx(thousandths: number, fontPx: number): number {
  return (thousandths / 1000) * fontPx * MARGIN;
}
