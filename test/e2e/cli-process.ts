import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/firedrill.js', import.meta.url));

/**
 * Runs the built CLI as a user would: a separate process, no TTY (so plain log lines), CI set.
 * `npm test` builds first; run `npm run build` before running e2e files on their own.
 */
export function firedrill(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { CI: 'true', NO_COLOR: '1', ...opts.env },
    reject: false,
    all: true,
    timeout: opts.timeoutMs ?? 240_000,
  });
}
