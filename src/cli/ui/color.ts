import { Chalk, supportsColor, type ChalkInstance } from 'chalk';

export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorDecision {
  level: ColorLevel;
  enabled: boolean;
  /** Why colour is on or off; tests check it (no command shows it yet). */
  because: 'FORCE_COLOR' | 'NO_COLOR' | '--json' | 'not a TTY' | 'TTY';
}

export interface ColorInput {
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  json: boolean;
  /** What the terminal supports when colour is on; chalk's own detection by default. */
  detectedLevel?: ColorLevel;
}

/**
 * Decides colour once, for the whole process. chalk does not honour NO_COLOR by itself, so:
 * FORCE_COLOR, when set, wins ("0"/"false" force it off, "1"–"3" pick a level, anything else
 * means 1); otherwise NO_COLOR (set and non-empty, as no-color.org says, whatever its value),
 * `--json` output and a stdout that is not a terminal each turn colour off.
 */
export function decideColor(input: ColorInput): ColorDecision {
  const forced = forcedLevel(input.env.FORCE_COLOR);
  if (forced !== undefined) return { level: forced, enabled: forced > 0, because: 'FORCE_COLOR' };
  if (input.env.NO_COLOR !== undefined && input.env.NO_COLOR !== '') return off('NO_COLOR');
  if (input.json) return off('--json');
  if (!input.isTTY) return off('not a TTY');
  const level = Math.max(1, input.detectedLevel ?? detectedByChalk()) as ColorLevel;
  return { level, enabled: true, because: 'TTY' };
}

/** A chalk instance that follows the decision rather than its own detection. */
export function createChalk(decision: ColorDecision): ChalkInstance {
  return new Chalk({ level: decision.level });
}

function off(because: ColorDecision['because']): ColorDecision {
  return { level: 0, enabled: false, because };
}

function forcedLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === '0' || value === 'false') return 0;
  if (/^[1-9]\d*$/.test(value)) return Math.min(Number(value), 3) as ColorLevel;
  return 1;
}

function detectedByChalk(): ColorLevel {
  return supportsColor ? (supportsColor.level as ColorLevel) : 1;
}
