import type { InstalledCompose } from '../topology/compose-cli.js';
import { finding, type Finding } from './findings.js';

/**
 * Drills reach containers through the engine, never through compose; compose brings projects
 * up (`demo`, the user) and reads compose files as compose reads them (firedrill has a reader of
 * its own for when none is installed). So a machine without compose is still ready, with a warning.
 */
export function composeFinding(installed: InstalledCompose): Finding {
  if (!installed.v2 && !installed.v1) return finding('compose', 'warn', 'compose.missing', {});
  return finding('compose', 'ok', 'compose.found', {
    ...(installed.v2 ? { v2: installed.v2.version } : {}),
    ...(installed.v1 ? { v1: installed.v1.version } : {}),
  });
}
