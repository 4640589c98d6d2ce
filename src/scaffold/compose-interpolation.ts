/**
 * Compose's `${VAR:-default}` interpolation, as far as a scaffold can take it without the
 * environment CI will have: a variable with a default is taken at its default, one without
 * cannot be known. `$$` is compose's escape for a literal `$`.
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
  const replaced = text.replace(VARIABLE, (match, braced: string | undefined, operator: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const variable = braced ?? bare ?? '';
    variables.push(variable);
    // `:-` and `-` give a default; `?`, `:?`, `+` and `:+` depend on the environment.
    if (operator === ':-' || operator === '-') return fallback ?? '';
    withoutDefault.push(variable);
    return match;
  });
  return withoutDefault.length === 0 ? { text: replaced, variables, withoutDefault } : { variables, withoutDefault };
}
