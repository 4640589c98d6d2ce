import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../../../src/cli/io.js';

/** A stream that keeps what is written to it, and says whether it is a terminal. */
class Captured extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CapturedIo {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
  /** What a person types: write to it (it says it is a terminal when `terminal` was asked for). */
  stdin: PassThrough;
  /** Emit 'SIGINT' and the like on it: the command sees them as the process's signals. */
  signals: EventEmitter;
  /** The codes the command asked to exit with at once; the test goes on. */
  exits: number[];
}

/**
 * A CliIo for driving `main([...])` or a command in a test: output captured; colour only when
 * asked for; with `terminal`, stdin and stdout say they are terminals (a person could answer).
 */
export function captureIo(opts: { color?: boolean; terminal?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  const stdout = new Captured(opts.color === true || opts.terminal === true);
  const stderr = new Captured(false);
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.terminal === true });
  const signals = new EventEmitter();
  const exits: number[] = [];
  const cwd = opts.cwd ?? '/nowhere/in/particular';
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env: opts.env ?? {},
    cwd: () => cwd,
    signals,
    exit: (code) => void exits.push(code),
    uiMode: () => 'plain',
    color: (json) => opts.color === true && !json,
  };
  return { io, stdout: () => stdout.text, stderr: () => stderr.text, stdin, signals, exits };
}
