import type { EventMap } from '../journal/events.js';

export type AbortCause = EventMap['drill.aborting']['cause'];

/** The reason attached to the drill's AbortSignal: why the drill is stopping early. */
export class DrillAbort extends Error {
  constructor(
    override readonly cause: AbortCause,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'DrillAbort';
  }
}

/** The DrillAbort behind an aborted signal, or a generic one when something else aborted it. */
export function abortReason(signal: AbortSignal): DrillAbort {
  const reason: unknown = signal.reason;
  return reason instanceof DrillAbort ? reason : new DrillAbort('signal', String(reason ?? 'aborted'));
}
