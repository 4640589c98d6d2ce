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
}

const VARIABLE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function withDefaults(text: string): Interpolated {
  const variables: string[] = [];
  let known = true;
  const replaced = text.replace(VARIABLE, (match, braced: string | undefined, operator: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    variables.push(braced ?? bare ?? '');
    // `:-` and `-` give a default; `?`, `:?`, `+` and `:+` depend on the environment.
    if (operator === ':-' || operator === '-') return fallback ?? '';
    known = false;
    return match;
  });
  return known ? { text: replaced, variables } : { variables };
}
