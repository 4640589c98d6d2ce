import type { Prompter } from '../run/drill-context.js';
import { isCi } from './ui/mode.js';

/**
 * `firedrill run` in a terminal shows the plan and asks before it touches anything. It asks
 * only when a person can answer — stdin and stdout are terminals and CI is not set — and not
 * with `--yes`. Without a person it never asks and goes ahead: CI must keep working.
 */
export function shouldConfirmRun(input: { yes: boolean; stdinIsTTY: boolean; stdoutIsTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  return !input.yes && input.stdinIsTTY && input.stdoutIsTTY && !isCi(input.env);
}

export const CONFIRM_QUESTION = 'Run this drill?';

/** Nobody answering for this long is a no. */
export const CONFIRM_TIMEOUT_MS = 10 * 60_000;

/** True only for a yes; no, an empty answer (the default is No), or no answer in time is false. */
export async function confirmRun(prompter: Prompter, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  const answer = await prompter.confirm(CONFIRM_QUESTION, {
    timeoutMs: opts.timeoutMs ?? CONFIRM_TIMEOUT_MS,
    signal: opts.signal ?? new AbortController().signal,
  });
  return answer === 'confirmed';
}
