import type { EventListener } from '../../journal/events.js';
import { attachLiveProgress } from './live-progress.js';
import type { UiMode } from './mode.js';
import { attachPlainLog } from './plain-log.js';
import { createTerminalPrompter, type Prompter } from './prompter.js';

export interface UiOptions {
  mode: UiMode;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  color: boolean;
  /** With mode 'silent': no progress at all (otherwise plain lines go to stderr). See mode.ts. */
  quiet?: boolean;
  /** Where a person answers manual steps in live mode; process.stdin by default. */
  stdin?: NodeJS.ReadStream;
}

export interface AttachedUi {
  /** Present only when a person can answer (live mode with a terminal on stdin). */
  prompter?: Prompter;
  /** Call after the runner returned or threw: resolves once progress output is complete. */
  finish(): Promise<void>;
}

/**
 * Subscribes the terminal UI to the drill's events. Subscribe the journal first: the bus calls
 * listeners in order, so nothing is shown that was not recorded.
 *
 * - live: listr2 frame on stdout, and a prompter that pauses the frame while it asks;
 * - plain: one line per meaningful event on stdout;
 * - silent: stdout untouched (it carries the --json document); plain lines on stderr unless quiet.
 */
export function attachUi(bus: { subscribe(listener: EventListener): void }, opts: UiOptions): AttachedUi {
  const subscribe = (listener: EventListener) => bus.subscribe(listener);
  switch (opts.mode) {
    case 'live':
      return attachLive(subscribe, opts);
    case 'plain':
      attachPlainLog(subscribe, lineWriter(opts.stdout), { color: opts.color });
      return { finish: async () => undefined };
    case 'silent':
      if (!opts.quiet) attachPlainLog(subscribe, lineWriter(opts.stderr), { color: opts.color });
      return { finish: async () => undefined };
  }
}

function attachLive(subscribe: (listener: EventListener) => void, opts: UiOptions): AttachedUi {
  const stdin = opts.stdin ?? process.stdin;
  const keyboard = stdin.isTTY ? { keyboard: stdin } : {};
  const live = attachLiveProgress(subscribe, { stream: opts.stdout, stderr: opts.stderr, color: opts.color, ...keyboard });
  const prompter = stdin.isTTY
    ? createTerminalPrompter(stdin, live.promptOutput, { pause: () => live.pause(), resume: () => live.resume() })
    : undefined;
  return { ...(prompter ? { prompter } : {}), finish: () => live.done() };
}

function lineWriter(stream: NodeJS.WritableStream): (line: string) => void {
  return (line) => {
    stream.write(`${line}\n`);
  };
}
