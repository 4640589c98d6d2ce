import { Chalk, type ChalkInstance } from 'chalk';
import type { Verdict } from '../../run/events.js';

/**
 * The few emphases the terminal output uses. Wording functions take a Paint so that the same
 * sentence is produced with or without colour; only this folder knows chalk.
 */
export interface Paint {
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  strong(text: string): string;
}

export function paintWith(chalk: ChalkInstance): Paint {
  return {
    good: (text) => chalk.green(text),
    bad: (text) => chalk.red(text),
    warn: (text) => chalk.yellow(text),
    dim: (text) => chalk.dim(text),
    strong: (text) => chalk.bold(text),
  };
}

/** Basic 16 colours are all the plain log and the live titles need. */
export function paintFor(color: boolean): Paint {
  return paintWith(new Chalk({ level: color ? 1 : 0 }));
}

export function paintVerdict(verdict: Verdict, paint: Paint): string {
  return verdictPaint(verdict, paint)(verdict.toUpperCase());
}

/** How a verdict is painted: passed good; aborted, and a journal that ends without one, a warning; the rest bad. */
export function verdictPaint(verdict: Verdict | 'incomplete', paint: Paint): (text: string) => string {
  if (verdict === 'passed') return paint.good;
  if (verdict === 'aborted' || verdict === 'incomplete') return paint.warn;
  return paint.bad;
}
