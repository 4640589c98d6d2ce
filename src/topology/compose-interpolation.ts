import { oneLine, quotedStart } from './compose-limits.js';

/**
 * Compose's variable interpolation, as compose v2 does it: `$VAR`, `${VAR}`,
 * `${VAR:-default}` / `${VAR-default}` (unset or empty / unset), `${VAR:?message}` /
 * `${VAR?message}` (required), `${VAR:+alternative}` / `${VAR+alternative}`, defaults that
 * hold further `${…}`, and `$$` for a literal `$`. A lone `$` not followed by a name or `{`
 * stays as written; a malformed `${…}` is an error, as it is to compose.
 */

/** A variable's value, or undefined when it is not set. */
export type LookupVariable = (name: string) => string | undefined;

export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

export interface InterpolationResult {
  text: string;
  /** Variables used without a default that are not set: compose takes them as "" and warns. */
  unset: string[];
  /** Variables whose default (`:-` or `-`) was taken. */
  defaulted: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, lookup: LookupVariable): InterpolationResult {
  if (!text.includes('$')) return { text, unset: [], defaulted: [] };
  const unset: string[] = [];
  const defaulted: string[] = [];
  return { text: new Scanner(text, lookup, unset, defaulted).run(0, false).text, unset, defaulted };
}

/** Where the text stops being plain: the next `$`, or (inside a default) the next `}`. */
function nextStop(source: string, from: number, nested: boolean): number {
  const dollar = source.indexOf('$', from);
  const brace = nested ? source.indexOf('}', from) : -1;
  const candidates = [dollar, brace].filter((index) => index >= 0);
  return candidates.length === 0 ? source.length : Math.min(...candidates);
}

class Scanner {
  constructor(
    private readonly source: string,
    private readonly lookup: LookupVariable,
    private readonly unset: string[],
    private readonly defaulted: string[],
  ) {}

  /** Reads from `start` to the end, or (inside a default) to the `}` that closes it. */
  run(start: number, nested: boolean): { text: string; end: number } {
    const { source } = this;
    let out = '';
    let at = start;
    while (at < source.length) {
      const stop = nextStop(source, at, nested);
      out += source.slice(at, stop);
      at = stop;
      if (at >= source.length) break;
      if (source[at] === '}') return { text: out, end: at };
      const next = source[at + 1];
      if (next === '$') {
        out += '$';
        at += 2;
      } else if (next === '{') {
        const braced = this.braced(at + 2);
        out += braced.text;
        at = braced.end + 1;
      } else {
        const name = NAME.exec(source.slice(at + 1, at + 1 + 256))?.[0];
        if (name === undefined) {
          out += '$';
          at++;
        } else {
          out += this.value(name);
          at += 1 + name.length;
        }
      }
    }
    if (nested) throw new InterpolationError(`invalid interpolation format: ${quotedStart(source, 80)} has a "\${" that is not closed`);
    return { text: out, end: at };
  }

  /** `${` has been read; `at` is the first character of the name. */
  private braced(at: number): { text: string; end: number } {
    const { source } = this;
    const name = NAME.exec(source.slice(at, at + 256))?.[0];
    if (name === undefined)
      throw new InterpolationError(`invalid interpolation format: ${quotedStart(source, 80)} has a "\${" without a variable name`);
    let cursor = at + name.length;
    if (source[cursor] === '}') return { text: this.value(name), end: cursor };
    if (cursor >= source.length)
      throw new InterpolationError(`invalid interpolation format: ${quotedStart(source, 80)} has a "\${" that is not closed`);
    const operator = /^:?[-?+]/.exec(source.slice(cursor, cursor + 2))?.[0];
    if (operator === undefined)
      throw new InterpolationError(`invalid interpolation format: ${quotedStart(source, 80)} has an unknown operator after \${${name}`);
    cursor += operator.length;
    const argument = this.run(cursor, true);
    return { text: this.apply(name, operator, argument.text), end: argument.end };
  }

  private apply(name: string, operator: string, argument: string): string {
    const value = this.lookup(name);
    const present = operator.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    switch (operator.at(-1)) {
      case '-':
        if (present) return value!;
        this.defaulted.push(name);
        return argument;
      case '+':
        return present ? argument : '';
      default:
        if (present) return value!;
        throw new InterpolationError(`required variable ${name} is missing a value${argument ? `: ${oneLine(argument)}` : ''}`);
    }
  }

  private value(name: string): string {
    const value = this.lookup(name);
    if (value !== undefined) return value;
    if (!this.unset.includes(name)) this.unset.push(name);
    return '';
  }
}

/**
 * Every string value of a parsed compose document interpolated (keys are not, as in compose).
 * `where` names the value in errors: "services.web.image: required variable …".
 */
export function interpolateTree(data: unknown, lookup: LookupVariable, unset: Set<string>, where: string[] = []): unknown {
  if (typeof data === 'string') {
    try {
      const result = interpolate(data, lookup);
      for (const name of result.unset) unset.add(name);
      return result.text;
    } catch (error) {
      if (error instanceof InterpolationError)
        throw new InterpolationError(
          `${where.map((key) => (/^[\w.[\]-]{1,60}$/.test(key) ? key : quotedStart(key))).join('.') || 'the document'}: ${error.message}`,
        );
      throw error;
    }
  }
  if (Array.isArray(data)) return data.map((item, index) => interpolateTree(item, lookup, unset, [...where, `[${index}]`]));
  if (data !== null && typeof data === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) result[key] = interpolateTree(value, lookup, unset, [...where, key]);
    return result;
  }
  return data;
}

/**
 * `${VAR:-default}` as far as a scaffold can take it without the environment CI will have: a
 * variable with a default is taken at its default, one without cannot be known.
 */
export interface Interpolated {
  /** The text with every default filled in; undefined when a variable has no default. */
  text?: string;
  /** The variables met, in order. */
  variables: string[];
  /** Those of them with no default, whose value only the environment can give. */
  withoutDefault: string[];
}

const VARIABLE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function withDefaults(text: string): Interpolated {
  const variables: string[] = [];
  const withoutDefault: string[] = [];
  const replaced = text.replace(
    VARIABLE,
    (match, braced: string | undefined, operator: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      const variable = braced ?? bare ?? '';
      variables.push(variable);
      // `:-` and `-` give a default; `?`, `:?`, `+` and `:+` depend on the environment.
      if (operator === ':-' || operator === '-') return fallback ?? '';
      withoutDefault.push(variable);
      return match;
    },
  );
  return withoutDefault.length === 0 ? { text: replaced, variables, withoutDefault } : { variables, withoutDefault };
}
