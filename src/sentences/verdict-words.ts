import type { EventMap, Verdict } from '../journal/events.js';
import type { Paint } from '../words/paint.js';

/** A verdict as the journal has it, or 'incomplete' for a journal that ends without one. */
export type ReadVerdict = Verdict | 'incomplete';
export type AbortCause = EventMap['drill.aborting']['cause'];

export const VERDICT_LABEL: Record<ReadVerdict, string> = {
  passed: 'Passed',
  failed: 'Failed',
  aborted: 'Aborted',
  'rollback-incomplete': 'Rollback incomplete',
  incomplete: 'Incomplete',
};

export const VERDICT_MEANING: Record<ReadVerdict, string> = {
  passed: 'every objective was met and every fault was rolled back',
  failed: 'the drill ran to the end, but not everything held',
  aborted: 'the drill was stopped and rolled back',
  'rollback-incomplete': 'faults may still be in effect',
  incomplete: 'the journal ends without a result: the drill was interrupted (a crash or a kill) before it finished',
};

export const ABORT_CAUSE: Record<AbortCause, string> = {
  signal: 'interrupted by a signal',
  'time-limit': 'the time limit was reached',
  'steady-state': 'the steady state did not hold',
  'step-failed': 'a step failed',
  'stop-condition': 'a stop condition was breached',
};

export function paintVerdict(verdict: Verdict, paint: Paint): string {
  return verdictPaint(verdict, paint)(verdict.toUpperCase());
}

/** How a verdict is painted: passed good; aborted, and a journal that ends without one, a warning; the rest bad. */
export function verdictPaint(verdict: ReadVerdict, paint: Paint): (text: string) => string {
  if (verdict === 'passed') return paint.good;
  if (verdict === 'aborted' || verdict === 'incomplete') return paint.warn;
  return paint.bad;
}
