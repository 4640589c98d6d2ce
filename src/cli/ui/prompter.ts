import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import type { Prompter } from '../../run/drill-context.js';

export type { Prompter };

export type ConfirmAnswer = Awaited<ReturnType<Prompter['confirm']>>;

export interface PrompterHooks {
  /** Called before the question is written: the live view stops redrawing; awaited. */
  pause?(): void | Promise<void>;
  /** Called after the question has been answered and erased: the live view redraws. */
  resume?(): void;
  /**
   * Ctrl-C while the terminal is in raw mode for the prompt reaches readline, not the process.
   * By default it is passed on as a SIGINT to this process, so the runner aborts and rolls back
   * exactly as it would outside a prompt.
   */
  interrupt?(): void;
}

const ERASE_DOWN = '\u001B[J';

/**
 * Asks y/N questions on a terminal with node:readline. Only create it when a person can answer
 * (stdin and stdout are terminals, not CI): the runner then asks it for manual steps, and
 * otherwise applies the playbook's `ci` behaviour.
 *
 * With live progress on screen the prompt is written under the frame while the frame is paused
 * (hooks), and erased once answered so that the frame can redraw in place; the answer itself is
 * shown by the frame and recorded in the journal as manual.answered.
 *
 * confirm() resolves 'confirmed' for y/yes, 'declined' for anything else (the default is No),
 * 'timed-out' when nobody answers in time, and rejects with the signal's reason when the drill
 * is aborted while asking.
 */
export function createTerminalPrompter(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream & { columns?: number },
  hooks: PrompterHooks = {},
): Prompter {
  const transient = hooks.pause !== undefined || hooks.resume !== undefined;
  const interrupt = hooks.interrupt ?? (() => process.kill(process.pid, 'SIGINT'));

  return {
    async confirm(question, opts) {
      if (opts.signal.aborted) throw opts.signal.reason;
      const query = `${question} [y/N] `;
      await hooks.pause?.();
      let result: AskResult;
      try {
        result = await ask(input, output, query, opts, interrupt);
        if (transient && result.asked) output.write(eraseRows(rowsUsed(query + result.typed, output.columns), result.endedLine));
      } finally {
        // Whatever happened, the live view must not stay frozen.
        hooks.resume?.();
      }
      if (result.answer === 'aborted') throw opts.signal.reason;
      return result.answer;
    },
  };
}

interface AskResult {
  answer: ConfirmAnswer | 'aborted';
  /** False when the drill was aborted before the question could be written. */
  asked: boolean;
  /** What the person typed, as far as they got. */
  typed: string;
  /** Whether they pressed Enter (the cursor is then on the line below the prompt). */
  endedLine: boolean;
}

function ask(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  query: string,
  opts: { timeoutMs: number; signal: AbortSignal },
  interrupt: () => void,
): Promise<AskResult> {
  return new Promise((resolve) => {
    // The drill may have been aborted while the live view was pausing.
    if (opts.signal.aborted) return resolve({ answer: 'aborted', asked: false, typed: '', endedLine: false });
    const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
    let settled = false;
    const finish = (answer: AskResult['answer'], typed: string, endedLine: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      rl.close();
      resolve({ answer, asked: true, typed, endedLine });
    };
    const onAbort = () => finish('aborted', rl.line, false);
    const timer = setTimeout(() => finish('timed-out', rl.line, false), opts.timeoutMs);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', interrupt);
    rl.on('close', () => finish('declined', '', false));
    rl.question(query, (typed) => finish(/^\s*y(es)?\s*$/i.test(typed) ? 'confirmed' : 'declined', typed, true));
  });
}

/** Terminal rows taken by `text` once wrapped at `columns`. */
export function rowsUsed(text: string, columns = 80): number {
  const width = Math.max(1, columns);
  return stripVTControlCharacters(text)
    .split('\n')
    .reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / width)), 0);
}

/** Moves to the first row of the prompt and erases from there down. */
function eraseRows(rows: number, endedLine: boolean): string {
  const up = endedLine ? rows : rows - 1;
  return `\r${up > 0 ? `\u001B[${up}A` : ''}${ERASE_DOWN}`;
}
