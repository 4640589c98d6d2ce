import { formatRunning } from './format.js';
import type { Paint } from '../../words/paint.js';

export type SlotStatus = 'completed' | 'failed' | 'skipped';

/** How a task ends on screen: listr's state (✔ ✖ ↓) and the title that replaces the running one. */
export interface SlotEnd {
  status: SlotStatus;
  title: string;
}

/** The part of a listr2 TaskWrapper a slot writes to. */
export interface TaskView {
  title: string;
  output: string;
}

/**
 * One line of the live view (a phase or a step), driven by events rather than by work of its
 * own. The listr task for it calls `run()`, which shows the slot and resolves when the events
 * end it. Events may arrive before listr reaches the task: the slot keeps what it was told and
 * shows it once attached, and `run()` resolves at once for a slot that has already ended.
 */
export class LiveSlot {
  private startedAt: number | undefined;
  private detail = '';
  private ending: SlotEnd | undefined;
  private view: TaskView | undefined;
  private resolveEnd!: (end: SlotEnd) => void;
  private readonly ended: Promise<SlotEnd>;

  constructor(
    readonly key: string,
    readonly baseTitle: string,
    private readonly paint: Paint,
    private readonly now: () => number,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnd = resolve));
  }

  get hasStarted(): boolean {
    return this.startedAt !== undefined;
  }

  get hasEnded(): boolean {
    return this.ending !== undefined;
  }

  start(): void {
    if (this.startedAt !== undefined || this.ending) return;
    this.startedAt = this.now();
    this.show();
  }

  /** The one line shown under the title while the slot runs. */
  setDetail(text: string): void {
    this.detail = text;
    this.show();
  }

  /** Ends the slot once; later calls are ignored so that the first outcome stands. */
  finish(end: SlotEnd): void {
    if (this.ending) return;
    this.ending = end;
    this.resolveEnd(end);
  }

  /** Refreshes the elapsed time of a running slot. */
  tick(): void {
    if (this.startedAt !== undefined && !this.ending) this.show();
  }

  run(view: TaskView): Promise<SlotEnd> {
    this.view = view;
    this.show();
    return this.ended;
  }

  private show(): void {
    if (!this.view || this.ending) return;
    const elapsed = this.startedAt === undefined ? '' : ` ${this.paint.dim(formatRunning(this.now() - this.startedAt))}`;
    this.view.title = `${this.baseTitle}${elapsed}`;
    if (this.detail !== '') this.view.output = this.detail;
  }
}
