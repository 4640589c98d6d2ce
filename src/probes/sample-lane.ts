/**
 * Spreads the starts of many background samples over turns of the event loop. A hundred stop
 * conditions polled every 100ms come due together; starting all their requests in one turn
 * keeps the loop busy for tens of milliseconds, and a wait step's sample due in that time (the
 * one the recovery is measured with) starts that much late. Through the lane at most `perTurn`
 * samples start in one turn and the rest in the turns after, so a timer that comes due waits
 * for one batch at most. With no more than `perTurn` loops nothing is ever held back.
 */
export class SampleLane {
  private startedThisTurn = 0;
  private turnEndScheduled = false;
  private readonly held: (() => void)[] = [];

  constructor(private readonly perTurn: number) {}

  /**
   * undefined when this sample may start now; otherwise a promise that resolves in a later
   * turn, when it may. (No promise at all when it need not wait, so it costs no hop.)
   */
  turn(): Promise<void> | undefined {
    this.endTurnSoon();
    if (this.held.length === 0 && this.startedThisTurn < this.perTurn) {
      this.startedThisTurn += 1;
      return undefined;
    }
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** setImmediate runs after the turn's timers and I/O: the next batch starts behind them. */
  private endTurnSoon(): void {
    if (this.turnEndScheduled) return;
    this.turnEndScheduled = true;
    setImmediate(() => {
      this.turnEndScheduled = false;
      const batch = this.held.splice(0, this.perTurn);
      this.startedThisTurn = batch.length;
      for (const release of batch) release();
      if (this.held.length > 0 || batch.length > 0) this.endTurnSoon();
    });
  }
}
