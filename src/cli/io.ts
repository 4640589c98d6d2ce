import type { SignalSource } from './signals.js';
import { decideColor } from './ui/color.js';
import { chooseUiMode, type UiMode } from './ui/mode.js';

/**
 * The process as the commands see it: its streams, environment, working directory, signals and
 * exit. Commands reach the process only through this, so a test drives one with its own.
 */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where a person answers: the confirm prompt and manual steps. */
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  /** The directory paths are shown relative to. */
  cwd(): string;
  /** Where SIGINT, SIGTERM and SIGHUP come from while a drill runs. */
  signals: SignalSource;
  /** Leaves at once with this code, without waiting for anything (a third signal during the rollback). */
  exit(code: number): void;
  uiMode(json: boolean): UiMode;
  color(json: boolean): boolean;
}

export function processIo(): CliIo {
  const { stdout, stderr, stdin, env } = process;
  return {
    stdout,
    stderr,
    stdin,
    env,
    cwd: () => process.cwd(),
    signals: process,
    exit: (code) => process.exit(code),
    uiMode: (json) => chooseUiMode({ isTTY: Boolean(stdout.isTTY), env, json, quiet: false }),
    color: (json) => decideColor({ isTTY: Boolean(stdout.isTTY), env, json }).enabled,
  };
}
