import { Chalk, type ChalkInstance } from 'chalk';
import type { Paint } from '../../words/paint.js';
import { terminalStyle, type Style } from '../../sentences/style.js';

/** The terminal's emphases, in chalk: only this folder knows chalk (words/paint.ts has the interface). */

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

/** The sentences' terminal style (sentences/style.ts) in these colours, or none. */
export function terminalStyleFor(color: boolean): Style {
  return terminalStyle(paintFor(color));
}
