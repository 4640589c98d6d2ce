const CTRL_C = 0x03;

/**
 * Keeps the keyboard quiet while the live frame is drawn. In the terminal's normal (cooked)
 * mode, keys typed during a drill are echoed into the frame, breaking its redraws, and a line
 * typed ahead ("y⏎") would sit in the buffer and answer the next manual step before its question
 * was even shown. While engaged, stdin is in raw mode and every key is read and dropped, except
 * Ctrl-C, which raw mode no longer turns into a signal: it is passed on as SIGINT, so the runner
 * aborts and rolls back as usual. The prompter disengages it while it asks.
 */
export class KeyboardGuard {
  private engaged = false;
  private readonly onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.includes(CTRL_C)) this.interrupt();
  };

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly interrupt: () => void = () => process.kill(process.pid, 'SIGINT'),
  ) {}

  engage(): void {
    if (this.engaged || !this.input.isTTY) return;
    this.engaged = true;
    this.input.setRawMode(true);
    this.input.on('data', this.onData);
    this.input.resume();
  }

  /** Gives the keyboard back: cooked mode, paused (so it does not keep the process alive). */
  disengage(): void {
    if (!this.engaged) return;
    this.engaged = false;
    this.input.off('data', this.onData);
    this.input.pause();
    this.input.setRawMode(false);
  }
}
