import { readFileSync } from 'node:fs';

/** firedrill's version, from its package.json (recorded in every journal). */
export const firedrillVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The package's root directory (holds drills/ and templates/). */
export const packageRoot = new URL('..', import.meta.url);
