import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyboardGuard } from '../../../src/cli/ui/keyboard-guard.js';
import { createTerminalPrompter, rowsUsed } from '../../../src/cli/ui/prompter.js';

const QUESTION = 'Is the status page green?';

function harness(hooks?: Parameters<typeof createTerminalPrompter>[2]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const prompter = createTerminalPrompter(input, output, hooks);
  return { input, prompter, written: () => written };
}

function ask(prompter: ReturnType<typeof harness>['prompter'], opts: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  return prompter.confirm(QUESTION, { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal ?? new AbortController().signal });
}

describe('terminal prompter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['y', 'confirmed'],
    ['Yes', 'confirmed'],
    [' y ', 'confirmed'],
    ['', 'declined'],
    ['n', 'declined'],
    ['yep', 'declined'],
  ])('answers %j as %s (the default is No)', async (typed, expected) => {
    const { input, prompter, written } = harness();
    const answer = ask(prompter);
    input.write(`${typed}\n`);
    await expect(answer).resolves.toBe(expected);
    expect(written()).toBe(`${QUESTION} [y/N] `);
  });

  it('times out when nobody answers', async () => {
    vi.useFakeTimers();
    const { prompter } = harness();
    const answer = ask(prompter, { timeoutMs: 30_000 });
    await vi.advanceTimersByTimeAsync(29_999);
    const early = await Promise.race([answer, Promise.resolve('still asking')]);
    expect(early).toBe('still asking');
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe('timed-out');
  });

  it('rejects with the drill abort when the drill is aborted while asking', async () => {
    const { prompter } = harness();
    const drill = new AbortController();
    const answer = ask(prompter, { signal: drill.signal });
    const reason = new Error('received SIGINT');
    drill.abort(reason);
    await expect(answer).rejects.toBe(reason);
  });

  it('does not ask at all when the drill is already aborted', async () => {
    const pause = vi.fn();
    const { prompter, written } = harness({ pause });
    const reason = new Error('time limit');
    await expect(ask(prompter, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(pause).not.toHaveBeenCalled();
    expect(written()).toBe('');
  });

  it('pauses the live view before asking, and erases the question before it resumes', async () => {
    const calls: string[] = [];
    let state = { written: () => '' };
    const h = harness({
      pause: async () => {
        calls.push(`pause, written: ${JSON.stringify(state.written())}`);
      },
      resume: () => {
        calls.push(`resume, written: ${JSON.stringify(state.written())}`);
      },
    });
    state = h;
    const answer = ask(h.prompter);
    await vi.waitFor(() => expect(h.written()).toContain('[y/N]'), { interval: 1 });
    h.input.write('y\n');
    await expect(answer).resolves.toBe('confirmed');
    // One row (the question and "y"), answered with Enter: back up one row, erase down.
    const erase = '\r\u001b[1A\u001b[J';
    expect(calls).toEqual(['pause, written: ""', `resume, written: ${JSON.stringify(`${QUESTION} [y/N] ${erase}`)}`]);
  });

  it('counts the rows a wrapped prompt takes', () => {
    expect(rowsUsed('x'.repeat(80), 80)).toBe(1);
    expect(rowsUsed('x'.repeat(81), 80)).toBe(2);
    expect(rowsUsed('\u001b[32mok\u001b[39m', 80)).toBe(1);
    expect(rowsUsed('first line\nsecond', 80)).toBe(2);
    expect(rowsUsed('', 80)).toBe(1);
  });
});

class FakeKeyboard extends EventEmitter {
  isTTY = true;
  raw = false;
  flowing = false;
  setRawMode(raw: boolean) {
    this.raw = raw;
    return this;
  }
  resume() {
    this.flowing = true;
    return this;
  }
  pause() {
    this.flowing = false;
    return this;
  }
}

describe('keyboard guard', () => {
  it('swallows keys while engaged, turns Ctrl-C into an interrupt, and gives the keyboard back', () => {
    const keyboard = new FakeKeyboard();
    const interrupt = vi.fn();
    const guard = new KeyboardGuard(keyboard as unknown as NodeJS.ReadStream, interrupt);

    guard.engage();
    expect([keyboard.raw, keyboard.flowing]).toEqual([true, true]);
    keyboard.emit('data', Buffer.from('yes\r'));
    expect(interrupt).not.toHaveBeenCalled();
    keyboard.emit('data', Buffer.from([0x03]));
    expect(interrupt).toHaveBeenCalledTimes(1);

    guard.disengage();
    expect([keyboard.raw, keyboard.flowing, keyboard.listenerCount('data')]).toEqual([false, false, 0]);
  });

  it('leaves a keyboard that is not a terminal alone', () => {
    const keyboard = new FakeKeyboard();
    keyboard.isTTY = false;
    new KeyboardGuard(keyboard as unknown as NodeJS.ReadStream, vi.fn()).engage();
    expect([keyboard.raw, keyboard.flowing]).toEqual([false, false]);
  });
});
