import { messageOf } from '../errors.js';
import { finding, type CheckId, type Finding } from './findings.js';

/** Every check gets this long: doctor answers within a few of them, whatever the engine does. */
export const CHECK_TIMEOUT_MS = 10_000;

/**
 * Runs one check under its own deadline. The check gets a signal that aborts at the deadline
 * (engine calls and helpers stop on it); whether it stops or not, the finding is then "timed out".
 * A check that throws becomes a failed finding with the error's message: doctor reports, it never crashes.
 */
export async function bounded(id: CheckId, run: (signal: AbortSignal) => Promise<Finding>, timeoutMs = CHECK_TIMEOUT_MS): Promise<Finding> {
  const controller = new AbortController();
  const timedOut = finding(id, 'fail', 'check.timed-out', { seconds: timeoutMs / 1000 });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Finding>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
      resolve(timedOut);
    }, timeoutMs);
  });
  const checked = Promise.resolve()
    .then(() => run(controller.signal))
    .catch((error: unknown) => (controller.signal.aborted ? timedOut : finding(id, 'fail', 'check.failed', { cause: messageOf(error) })));
  try {
    return await Promise.race([checked, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
