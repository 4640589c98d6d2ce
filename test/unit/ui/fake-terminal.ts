import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

/** A terminal for tests: a Writable that says it is a TTY and keeps everything written to it. */
export class FakeTerminal extends Writable {
  readonly isTTY = true;
  columns: number;
  rows = 60;
  text = '';
  /** Makes the next write throw, as a closed terminal would. */
  failNextWrite = false;

  constructor(columns = 140) {
    super();
    this.columns = columns;
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('write EIO');
    }
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }

  asStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }

  /** What a person would read: escape sequences removed. */
  plain(from = 0): string {
    return stripVTControlCharacters(this.text.slice(from));
  }

  /**
   * The frame listr2 prints last: it starts at the last full redraw of the first task's line.
   * Earlier frames may be partial (log-update only rewrites the lines that changed).
   */
  finalFrame(firstTitle: string): string[] {
    const plain = this.plain();
    const start = plain.lastIndexOf(firstTitle);
    const lineStart = plain.lastIndexOf('\n', start) + 1;
    return plain
      .slice(lineStart)
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
  }
}
