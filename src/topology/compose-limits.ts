/**
 * The bounds on what a compose project may hold for firedrill to read it, checked on the
 * file as written (before the compose CLI is asked anything) and again on the resolved
 * project. Each problem completes a sentence that starts with the compose file's name.
 */

/** The most services firedrill reads in one compose project; real projects have tens. */
export const MAX_COMPOSE_SERVICES = 1000;
/** The longest service name firedrill reads; compose turns names into DNS names and container names. */
export const MAX_SERVICE_NAME_LENGTH = 253;

export interface ComposeLimitProblem {
  problem: string;
  hint: string;
}

export function serviceLimitProblem(names: readonly string[]): ComposeLimitProblem | undefined {
  if (names.length > MAX_COMPOSE_SERVICES) {
    return {
      problem: `defines ${names.length.toLocaleString('en')} services, more than the ${MAX_COMPOSE_SERVICES.toLocaleString('en')} firedrill reads in one compose project`,
      hint: 'is this the right file?',
    };
  }
  const long = names.find((name) => name.length > MAX_SERVICE_NAME_LENGTH);
  if (long !== undefined) {
    return {
      problem: `has a service name of ${long.length.toLocaleString('en')} characters (${quotedStart(long)}), more than the ${MAX_SERVICE_NAME_LENGTH} firedrill reads`,
      hint: 'compose turns service names into container and DNS names; use a shorter one',
    };
  }
  const unaccepted = names.find((name) => !SERVICE_NAME.test(name));
  if (unaccepted !== undefined) {
    return {
      problem: `has a service name compose does not accept: ${quotedStart(unaccepted)}`,
      hint: 'service names are made of letters, digits, ".", "_" and "-"',
    };
  }
  return undefined;
}

/** What compose (v1 and v2) accepts as a service name. */
const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

/** The first characters of a long text, quoted with control characters escaped, for a one-line message. */
export function quotedStart(text: string, keep = 40): string {
  const quoted = JSON.stringify(text.length > keep ? text.slice(0, keep) : text).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > keep ? `${quoted.slice(0, -1)}…"` : quoted;
}

/** Text from a file made safe for a one-line message: control characters escaped, cut to `keep` characters. */
export function oneLine(text: string, keep = 200): string {
  const cut = text.length > keep ? `${text.slice(0, keep)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
