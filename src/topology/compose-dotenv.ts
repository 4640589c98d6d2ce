import { interpolate, InterpolationError, type LookupVariable } from './compose-interpolation.js';
import { emptyRecord } from './compose-records.js';

/**
 * The `.env` format compose reads (the project's `.env` and a service's `env_file:`):
 * `KEY=value` lines, `#` comments and blank lines, an optional `export ` prefix;
 * single-quoted values taken literally, double-quoted values with `\n`, `\t`, `\"`, `\\`
 * escapes and possibly spanning lines, unquoted values trimmed and cut at " #". Unquoted and
 * double-quoted values are interpolated from the variables above them, then the environment.
 */

export class DotenvError extends Error {
  override name = 'DotenvError';
}

const KEY = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s?/;

export function parseDotenv(text: string, environment: LookupVariable): Record<string, string> {
  const values = emptyRecord<string>();
  const lookup: LookupVariable = (name) => (Object.hasOwn(values, name) ? values[name] : environment(name));
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const key = KEY.exec(line);
    if (!key) {
      // A bare name is allowed (and means nothing here); anything else is a mistake.
      if (/^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*$/.test(line)) continue;
      throw new DotenvError(`line ${index + 1}: expected KEY=value, found ${JSON.stringify(line.slice(0, 60))}`);
    }
    const rest = line.slice(key[0].length).trimStart();
    const name = key[1]!;
    if (rest.startsWith("'")) {
      const read = quoted(lines, index, rest, "'");
      values[name] = read.value;
      index = read.lastLine;
    } else if (rest.startsWith('"')) {
      const read = quoted(lines, index, rest, '"');
      values[name] = expand(unescapeText(read.value), lookup, index);
      index = read.lastLine;
    } else {
      values[name] = expand(rest.replace(/\s+#.*$/, '').trim(), lookup, index);
    }
  }
  return values;
}

/** The text between `quote` and its closing twin, which may be on a later line. */
function quoted(lines: string[], first: number, rest: string, quote: string): { value: string; lastLine: number } {
  let text = rest.slice(1);
  for (let index = first; index < lines.length; index++) {
    const close = closingQuote(text, quote);
    if (close >= 0) return { value: text.slice(0, close), lastLine: index };
    if (index + 1 < lines.length) text += `\n${lines[index + 1]}`;
  }
  throw new DotenvError(`line ${first + 1}: the ${quote === '"' ? 'double' : 'single'} quote is never closed`);
}

function closingQuote(text: string, quote: string): number {
  for (let at = 0; at < text.length; at++) {
    if (quote === '"' && text[at] === '\\') at++;
    else if (text[at] === quote) return at;
  }
  return -1;
}

function unescapeText(text: string): string {
  return text.replace(/\\([nrt"\\$])/g, (_, char: string) => ({ n: '\n', r: '\r', t: '\t' })[char as 'n'] ?? (char === '$' ? '$$' : char));
}

function expand(text: string, lookup: LookupVariable, index: number): string {
  try {
    return interpolate(text, lookup).text;
  } catch (error) {
    if (error instanceof InterpolationError) throw new DotenvError(`line ${index + 1}: ${error.message}`);
    throw error;
  }
}
