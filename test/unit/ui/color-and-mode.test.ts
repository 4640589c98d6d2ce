import { describe, expect, it } from 'vitest';
import { createChalk, decideColor, type ColorDecision } from '../../../src/cli/ui/color.js';
import { chooseUiMode, isCi, type UiMode } from '../../../src/cli/ui/mode.js';

describe('colour decision', () => {
  const cases: [string, { env: NodeJS.ProcessEnv; isTTY: boolean; json: boolean }, Pick<ColorDecision, 'level' | 'because'>][] = [
    ['a terminal', { env: {}, isTTY: true, json: false }, { level: 2, because: 'TTY' }],
    ['a pipe', { env: {}, isTTY: false, json: false }, { level: 0, because: 'not a TTY' }],
    ['--json in a terminal', { env: {}, isTTY: true, json: true }, { level: 0, because: '--json' }],
    ['NO_COLOR=1 in a terminal', { env: { NO_COLOR: '1' }, isTTY: true, json: false }, { level: 0, because: 'NO_COLOR' }],
    ['NO_COLOR=0 (any value counts)', { env: { NO_COLOR: '0' }, isTTY: true, json: false }, { level: 0, because: 'NO_COLOR' }],
    ['NO_COLOR empty (no-color.org: ignored)', { env: { NO_COLOR: '' }, isTTY: true, json: false }, { level: 2, because: 'TTY' }],
    ['FORCE_COLOR=1 in a pipe', { env: { FORCE_COLOR: '1' }, isTTY: false, json: false }, { level: 1, because: 'FORCE_COLOR' }],
    [
      'FORCE_COLOR=3 over NO_COLOR',
      { env: { FORCE_COLOR: '3', NO_COLOR: '1' }, isTTY: true, json: false },
      { level: 3, because: 'FORCE_COLOR' },
    ],
    ['FORCE_COLOR over --json', { env: { FORCE_COLOR: 'true' }, isTTY: false, json: true }, { level: 1, because: 'FORCE_COLOR' }],
    ['FORCE_COLOR=0 in a terminal', { env: { FORCE_COLOR: '0' }, isTTY: true, json: false }, { level: 0, because: 'FORCE_COLOR' }],
    ['FORCE_COLOR=false in a terminal', { env: { FORCE_COLOR: 'false' }, isTTY: true, json: false }, { level: 0, because: 'FORCE_COLOR' }],
    ['FORCE_COLOR=9 is capped', { env: { FORCE_COLOR: '9' }, isTTY: false, json: false }, { level: 3, because: 'FORCE_COLOR' }],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    const decision = decideColor({ ...input, detectedLevel: 2 });
    expect(decision).toEqual({ ...expected, enabled: expected.level > 0 });
  });

  it('gives a chalk that follows the decision, not its own detection', () => {
    const off = createChalk(decideColor({ env: {}, isTTY: false, json: false }));
    const on = createChalk(decideColor({ env: { FORCE_COLOR: '1' }, isTTY: false, json: false }));
    expect(off.red('x')).toBe('x');
    expect(on.red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('uses at least basic colours in a terminal that reports none', () => {
    expect(decideColor({ env: {}, isTTY: true, json: false, detectedLevel: 0 }).level).toBe(1);
  });
});

describe('UI mode decision', () => {
  const cases: [string, { isTTY: boolean; env: NodeJS.ProcessEnv; json?: boolean; quiet?: boolean }, UiMode][] = [
    ['a terminal', { isTTY: true, env: {} }, 'live'],
    ['no terminal', { isTTY: false, env: {} }, 'plain'],
    ['CI=true in a terminal', { isTTY: true, env: { CI: 'true' } }, 'plain'],
    ['CI=1 in a terminal', { isTTY: true, env: { CI: '1' } }, 'plain'],
    ['CI=false in a terminal', { isTTY: true, env: { CI: 'false' } }, 'live'],
    ['CI=0 in a terminal', { isTTY: true, env: { CI: '0' } }, 'live'],
    ['CI empty in a terminal', { isTTY: true, env: { CI: '' } }, 'live'],
    ['CI=false without a terminal', { isTTY: false, env: { CI: 'false' } }, 'plain'],
    ['TERM=dumb', { isTTY: true, env: { TERM: 'dumb' } }, 'plain'],
    ['--json in a terminal', { isTTY: true, env: {}, json: true }, 'silent'],
    ['--json in CI', { isTTY: false, env: { CI: 'true' }, json: true }, 'silent'],
    ['--quiet in a terminal', { isTTY: true, env: {}, quiet: true }, 'silent'],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(chooseUiMode({ json: false, quiet: false, ...input })).toBe(expected);
  });

  it('reads CI the way CI services set it', () => {
    expect([isCi({ CI: 'TRUE' }), isCi({ CI: 'FALSE' }), isCi({ CI: 'woodpecker' }), isCi({})]).toEqual([true, false, true, false]);
  });
});
