import type { DrillModel } from './model-types.js';
import { formatAtLeast, formatMeasured } from '../words/time-format.js';

/** One JUnit test case in plain text (junit.ts escapes it), and how its time is written. */

export type JunitResult =
  | { kind: 'passed' }
  | { kind: 'failure' | 'error'; type: string; message: string; detail: string }
  | { kind: 'skipped'; message: string };

export interface JunitCase {
  classname: string;
  name: string;
  /** The time attribute: seconds, three decimals. */
  seconds: string;
  result: JunitResult;
  /** What was captured or measured, for <system-out>; "" for none. */
  output: string;
}

export const PASSED: JunitResult = { kind: 'passed' };

/** A measured duration in seconds, rounded up like every measurement firedrill reports. */
export function seconds(ms: number): string {
  return formatMeasured(ms).slice(0, -1);
}

/** A lower bound in seconds, rounded down: the honest direction for it. */
export function secondsAtLeast(ms: number): string {
  return formatAtLeast(ms).slice(0, -1);
}

/** The drill's time: an incomplete journal's duration runs to its last entry, a lower bound. */
export function junitDuration(model: DrillModel): string {
  return model.finished ? seconds(model.durationMs) : secondsAtLeast(model.durationMs);
}
