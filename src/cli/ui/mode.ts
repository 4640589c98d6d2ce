/**
 * How progress is shown while a drill runs:
 * - `live`: listr2 redraws a task list in place. Only in a terminal, and not in CI (CI
 *   runners that allocate a pseudo-TTY still want a log that reads top to bottom).
 * - `plain`: one timestamped line per meaningful event, on stdout (not a TTY, or CI set).
 * - `silent`: nothing on stdout while the drill runs. Chosen for `--json` (stdout carries the
 *   result document alone), and when the caller asks for `quiet`. In silent mode attachUi writes
 *   the plain lines to stderr instead, so a CI job that pipes `--json` into a file still gets its
 *   log; only with `quiet` (which no command passes yet) does progress go nowhere.
 */
export type UiMode = 'live' | 'plain' | 'silent';

export interface UiModeInput {
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  json: boolean;
  quiet: boolean;
}

export function chooseUiMode(input: UiModeInput): UiMode {
  if (input.json || input.quiet) return 'silent';
  if (!input.isTTY || isCi(input.env) || input.env.TERM === 'dumb') return 'plain';
  return 'live';
}

/** `CI` set to anything but "", "false" or "0" (GitHub, GitLab and most runners set CI=true). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
