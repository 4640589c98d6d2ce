import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attachUi, type UiOptions } from '../../../src/cli/ui/attach.js';
import { DrillScript } from './drill-script.js';
import { FakeTerminal } from './fake-terminal.js';
import { passedDrill } from './scenarios.js';

class FakeKeyboard extends EventEmitter {
  constructor(readonly isTTY: boolean) {
    super();
  }
  raw = false;
  setRawMode(raw: boolean) {
    this.raw = raw;
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
}

function attach(mode: UiOptions['mode'], extra: Partial<UiOptions> = {}) {
  const script = new DrillScript();
  const stdout = new FakeTerminal();
  const stderr = new FakeTerminal();
  const ui = attachUi(script.bus, { mode, stdout: stdout.asStream(), stderr: stderr.asStream(), color: false, ...extra });
  return { script, stdout, stderr, ui };
}

const VERDICT = 'drill finished: Passed, exit code 0 — 2 of 2 objectives met';

describe('attachUi', () => {
  it('plain: log lines on stdout, nothing on stderr, no prompter', async () => {
    const { script, stdout, stderr, ui } = attach('plain');
    passedDrill(script);
    await ui.finish();
    expect(stdout.text.split('\n').filter(Boolean)).toHaveLength(28);
    expect(stdout.text).toContain(VERDICT);
    expect(stderr.text).toBe('');
    expect(ui.prompter).toBeUndefined();
  });

  it('silent (--json): stdout untouched, the log on stderr', async () => {
    const { script, stdout, stderr, ui } = attach('silent');
    passedDrill(script);
    await ui.finish();
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain(VERDICT);
  });

  it('silent and quiet: no progress anywhere', async () => {
    const { script, stdout, stderr, ui } = attach('silent', { quiet: true });
    passedDrill(script);
    await ui.finish();
    expect([stdout.text, stderr.text]).toEqual(['', '']);
  });

  it('live: a prompter only when a person can type, and the keyboard is given back at the end', async () => {
    const keyboard = new FakeKeyboard(true);
    const { script, stdout, ui } = attach('live', { stdin: keyboard as unknown as NodeJS.ReadStream });
    expect(ui.prompter).toBeDefined();
    passedDrill(script);
    await ui.finish();
    expect(stdout.plain()).toContain('✔ Steady state after — 1 of 1 probe ok');
    expect(keyboard.raw).toBe(false);

    const piped = attach('live', { stdin: new FakeKeyboard(false) as unknown as NodeJS.ReadStream });
    expect(piped.ui.prompter).toBeUndefined();
    await piped.ui.finish();
  });
});
