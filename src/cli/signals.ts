import { DrillAbort } from '../run/abort.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Turns the first SIGINT/SIGTERM/SIGHUP into an abort of the drill (which then rolls back).
 * Later signals do not cut the rollback short; they say so. Returns a function that removes
 * the handlers.
 */
export function abortOnSignals(controller: AbortController, warn: (line: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      warn(`received ${signal}: aborting the drill and rolling back every fault…`);
      controller.abort(new DrillAbort('signal', `received ${signal}`));
      return;
    }
    warn(`received ${signal} again: rollback is in progress and will finish first; the journal records every fault still applied`);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
