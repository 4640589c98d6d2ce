import { decideColor } from './ui/color.js';
import { chooseUiMode, type UiMode } from './ui/mode.js';

/** The process's streams and environment, as the commands see them (tests pass their own). */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  uiMode(json: boolean): UiMode;
  color(json: boolean): boolean;
}

export function processIo(): CliIo {
  const { stdout, stderr, env } = process;
  return {
    stdout,
    stderr,
    env,
    uiMode: (json) => chooseUiMode({ isTTY: Boolean(stdout.isTTY), env, json, quiet: false }),
    color: (json) => decideColor({ isTTY: Boolean(stdout.isTTY), env, json }).enabled,
  };
}
