import { performance } from 'node:perf_hooks';
import { DefaultRenderer, Listr, ListrDefaultRendererLogLevels, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import type { AnyDrillEvent, EventListener, EventMap } from '../../journal/events.js';
import { HeldTerminal } from './held-terminal.js';
import { KeyboardGuard } from './keyboard-guard.js';
import { LiveDrillModel } from './live-model.js';
import type { LiveSlot } from './live-slot.js';
import { terminalStyleFor } from './paint.js';
import { PlainLog } from './plain-log.js';
import { messageOf } from '../../errors.js';

/**
 * listr2 falls back to its line renderer whenever *process.stdout* is not a TTY, whatever
 * stream it is given. The caller has already decided that our stream is a terminal (see
 * mode.ts), so this renderer declares that it works anywhere.
 */
class StreamRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

export interface LiveProgressOptions {
  /** The terminal to draw on; process.stdout by default. */
  stream?: NodeJS.WriteStream;
  /** Held back by listr while it draws, then printed under the frame; process.stderr by default. */
  stderr?: NodeJS.WriteStream;
  /** The keyboard, kept quiet while the frame is drawn (see KeyboardGuard); none by default. */
  keyboard?: NodeJS.ReadStream;
  color?: boolean;
  /** Milliseconds on a monotonic clock, for elapsed times; performance.now by default. */
  now?: () => number;
  /** How often running tasks refresh their elapsed time. */
  tickMs?: number;
}

export interface LiveProgress {
  /** Resolves once the frame is final (after drill.finished, or after a failure). Call it after the runner returned or threw. */
  done(): Promise<void>;
  /**
   * Holds the frame's redraws so that a prompt can be written under it (see HeldTerminal).
   * Resolves once listr has drawn what it already knew (it moves to the next task a few
   * microtasks after an event), so the frame above the prompt is current.
   */
  pause(): Promise<void>;
  /** Replays the held redraws. Erase what was written under the frame first. */
  resume(): void;
  /** The terminal itself, for prompts: never captured nor held. */
  readonly promptOutput: NodeJS.WriteStream;
}

const CURSOR_SHOW = '\u001B[?25h';
const CURSOR_HIDE = '\u001B[?25l';

/**
 * Live progress for a terminal: a listr2 task per phase and step, each awaiting the events that
 * end it (see LiveSlot). The renderer runs lazily (it redraws on changes; a ticker refreshes
 * elapsed times until drill.finished). listr2 captures stderr while it draws (printed under
 * the final frame) and draws on a HeldTerminal over stdout, so a prompt can pause it. Nothing
 * here throws into the runner: on any failure the view gives up and the same events continue
 * as plain log lines.
 */
export function attachLiveProgress(subscribe: (listener: EventListener) => void, opts: LiveProgressOptions = {}): LiveProgress {
  const view = new LiveView(opts);
  subscribe((event) => view.onEvent(event));
  return {
    done: () => view.done(),
    pause: () => view.pause(),
    resume: () => view.resume(),
    promptOutput: view.terminal,
  };
}

class LiveView {
  readonly terminal: NodeJS.WriteStream;
  private readonly screen: HeldTerminal;
  private readonly output: ProcessOutput;
  private readonly fallback: PlainLog;
  private readonly now: () => number;
  private readonly keyboard: KeyboardGuard | undefined;
  private model: LiveDrillModel | undefined;
  private run: Promise<void> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private paused = false;
  private degraded = false;
  private resolveDegraded!: () => void;
  private readonly whenDegraded = new Promise<void>((resolve) => (this.resolveDegraded = resolve));

  constructor(private readonly opts: LiveProgressOptions) {
    this.terminal = opts.stream ?? process.stdout;
    this.screen = new HeldTerminal(this.terminal);
    this.output = new ProcessOutput(this.screen.asStream(), opts.stderr ?? process.stderr);
    this.fallback = new PlainLog(terminalStyleFor(opts.color ?? true));
    this.now = opts.now ?? (() => performance.now());
    this.keyboard = opts.keyboard ? new KeyboardGuard(opts.keyboard) : undefined;
  }

  onEvent(event: AnyDrillEvent): void {
    const lines = this.fallbackLines(event);
    if (this.degraded) return this.write(lines.map((line) => `${line}\n`).join(''));
    this.guard(() => this.apply(event));
  }

  async pause(): Promise<void> {
    if (this.paused) return;
    this.paused = true;
    this.stopTicker();
    this.keyboard?.disengage();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.screen.hold();
    if (this.isDrawing()) this.write(CURSOR_SHOW);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.isDrawing()) this.write(CURSOR_HIDE);
    this.screen.release();
    if (this.isDrawing()) {
      this.keyboard?.engage();
      this.startTicker();
    }
  }

  async done(): Promise<void> {
    this.resume();
    if (!this.model || !this.run) return;
    if (!this.model.finished) this.guard(() => this.model!.finishAll());
    await Promise.race([this.run, this.whenDegraded]);
    this.stopTicker();
    this.keyboard?.disengage();
    if (!this.degraded) this.write(this.model.summary.map((line) => `${line}\n`).join(''));
  }

  private apply(event: AnyDrillEvent): void {
    if (event.type === 'drill.started') return this.start(event.data);
    this.model?.handle(event);
    if (event.type === 'drill.finished') {
      this.stopTicker();
      this.keyboard?.disengage();
    }
  }

  /** One drill per view: a second drill.started is ignored. */
  private start(started: EventMap['drill.started']): void {
    if (this.model) return;
    this.model = new LiveDrillModel(started, terminalStyleFor(this.opts.color ?? true), this.now);
    const listr = new Listr(this.model.slots.map(taskFor), {
      renderer: StreamRenderer,
      rendererOptions: this.rendererOptions(),
      concurrent: false,
      exitOnError: false,
      // The runner owns SIGINT: it must roll back, and listr's handler would exit with 127.
      registerSignalListeners: false,
    });
    this.run = listr.run().then(
      () => undefined,
      (error: unknown) => this.degrade(error),
    );
    this.startTicker();
    this.keyboard?.engage();
  }

  private rendererOptions(): NonNullable<(typeof StreamRenderer)['rendererOptions']> {
    const colorless = Object.fromEntries(
      Object.values(ListrDefaultRendererLogLevels).map((level) => [level, (text?: string) => text ?? '']),
    );
    return {
      lazy: true,
      formatOutput: 'wrap',
      collapseErrors: true,
      collapseSkips: true,
      logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: this.output }),
      ...(this.opts.color === false ? { color: colorless } : {}),
    };
  }

  private isDrawing(): boolean {
    return this.model !== undefined && !this.model.finished && !this.degraded;
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.guard(() => this.model?.tick()), this.opts.tickMs ?? 100);
    this.ticker.unref();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private guard(work: () => void): void {
    if (this.degraded) return;
    try {
      work();
    } catch (error) {
      this.degrade(error);
    }
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.stopTicker();
    this.keyboard?.disengage();
    this.screen.release();
    try {
      this.output.release();
    } catch {
      // Not captured: nothing to give back.
    }
    const reason = messageOf(error);
    this.write(`\nlive progress stopped (${reason}); plain log lines follow\n`);
    this.resolveDegraded();
  }

  private fallbackLines(event: AnyDrillEvent): string[] {
    try {
      return this.fallback.linesFor(event);
    } catch {
      return [];
    }
  }

  private write(text: string): void {
    try {
      if (text !== '') this.terminal.write(text);
    } catch {
      // The terminal is gone; the journal still records everything.
    }
  }
}

function taskFor(slot: LiveSlot): ListrTask<unknown, typeof StreamRenderer> {
  return {
    title: slot.baseTitle,
    task: async (_ctx, task) => {
      const end = await slot.run(task);
      task.title = end.title;
      if (end.status === 'failed') throw new Error(end.title);
      if (end.status === 'skipped') task.skip(end.title);
    },
  };
}
