import { Writable } from 'node:stream';
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
}

/** A CliIo for driving `main([...])` in a test: output captured; colour only when asked for. */
export function captureIo(opts: { color?: boolean } = {}): CapturedIo {
  const stdout = new Captured(opts.color === true);
  const stderr = new Captured(false);
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env: {},
    uiMode: () => 'plain',
    color: (json) => opts.color === true && !json,
  };
  return { io, stdout: () => stdout.text, stderr: () => stderr.text };
}
