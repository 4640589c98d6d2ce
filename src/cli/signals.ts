import { DrillAbort } from '../run/abort.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Where signals come from; the process, or an emitter in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface SignalOptions {
  /** The command that finishes the job after a forced exit, e.g. "firedrill recover <run-dir>". */
  recoverCommand: string;
  /** Leaves at once with this code (the rollback-incomplete code). */
  exitNow: () => void;
  source?: SignalSource;
}

/**
 * Signals during a drill:
 * 1. the first SIGINT/SIGTERM/SIGHUP aborts the drill, which then rolls back every fault;
 * 2. the next does not cut the rollback short: it says the rollback goes on, and how to leave;
 * 3. the one after that leaves at once. Every fault not yet reverted is in the journal (written before it
 *    was applied), so `firedrill recover` can finish the job, and the message says so.
 * Returns a function that removes the handlers.
 */
export function abortOnSignals(controller: AbortController, warn: (line: string) => void, opts: SignalOptions): () => void {
  const source = opts.source ?? process;
  // Signals after the one that aborted (or after the drill aborted by itself).
  let extra = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      warn(`received ${signal}: aborting the drill and rolling back every fault…`);
      controller.abort(new DrillAbort('signal', `received ${signal}`));
      return;
    }
    extra += 1;
    if (extra === 1) {
      warn(
        `received ${signal}: the rollback goes on and will finish first. Send it once more to exit at once; ` +
          `faults not yet reverted then stay recorded in the journal for \`${opts.recoverCommand}\``,
      );
      return;
    }
    warn(
      `received ${signal} once more: exiting now without finishing the rollback — run \`${opts.recoverCommand}\` to revert what is left`,
    );
    opts.exitNow();
  };
  for (const signal of SIGNALS) source.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) source.off(signal, handler);
  };
}
