import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmRun, CONFIRM_QUESTION, shouldConfirmRun } from '../../../src/cli/confirm-run.js';
import { createTerminalPrompter, type Prompter } from '../../../src/cli/ui/prompter.js';

describe('whether `run` asks before touching anything', () => {
  const person = { yes: false, stdinIsTTY: true, stdoutIsTTY: true, env: {} };

  it('asks a person at a terminal', () => {
    expect(shouldConfirmRun(person)).toBe(true);
    expect(shouldConfirmRun({ ...person, env: { CI: 'false' } })).toBe(true);
  });

  it.each([
    ['--yes', { yes: true }],
    ['CI=true', { env: { CI: 'true' } }],
    ['CI=1', { env: { CI: '1' } }],
    ['stdin not a terminal (piped, or a scheduler)', { stdinIsTTY: false }],
    ['stdout not a terminal (output to a file)', { stdoutIsTTY: false }],
  ])('never asks with %s', (_why, change) => {
    expect(shouldConfirmRun({ ...person, ...change })).toBe(false);
  });
});

describe('the confirm question', () => {
  function scripted(answer: Awaited<ReturnType<Prompter['confirm']>>): Prompter & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      confirm: async (question) => {
        asked.push(question);
        return answer;
      },
    };
  }

  it('goes ahead only on yes; no, an empty answer or none in time is no', async () => {
    const yes = scripted('confirmed');
    expect(await confirmRun(yes)).toBe(true);
    expect(yes.asked).toEqual(['Run this drill?']);
    expect(await confirmRun(scripted('declined'))).toBe(false);
    expect(await confirmRun(scripted('timed-out'))).toBe(false);
  });

  it.each([
    ['y', true],
    ['yes', true],
    ['n', false],
    ['', false],
    ['sure', false],
  ])('typed %j on a terminal: %s', async (typed, expected) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const answer = confirmRun(createTerminalPrompter(input, output));
    input.write(`${typed}\n`);
    expect(await answer).toBe(expected);
    expect(written).toBe(`${CONFIRM_QUESTION} [y/N] `);
  });
});
