import type { Clock } from '../../src/clock.js';

interface Timer {
  at: bigint;
  resolve: () => void;
}

/**
 * A clock for unit tests that never sleeps for real. Pending sleeps form a queue; whenever the
 * process is otherwise idle (checked with setImmediate, after every microtask has run), time
 * jumps to the earliest pending sleep and wakes it. Work that completes through promises only
 * (fake engines, fake probes) therefore sees time pass exactly as the sleeps say.
 */
export class FakeClock implements Clock {
  private nowNs: bigint;
  private readonly timers: Timer[] = [];
  private ticking = false;

  /**
   * Monotonic time starts at an arbitrary "uptime" (as hrtime does), wall time at a fixed
   * instant, and both advance together: a journal recorded with it is the same bytes on every
   * run, machine and time zone.
   */
  constructor(
    private readonly wallOriginMs = Date.UTC(2026, 10, 21, 9, 0, 0),
    private readonly originNs = 1_000_000_000n,
  ) {
    this.nowNs = originNs;
  }

  now(): bigint {
    return this.nowNs;
  }

  wallNow(): Date {
    return new Date(this.wallOriginMs + Number((this.nowNs - this.originNs) / 1_000_000n));
  }

  /** Milliseconds since the clock was created. */
  elapsedMs(): number {
    return Number(this.nowNs - this.originNs) / 1e6;
  }

  /** Moves time forward by hand (for code that measures without sleeping). */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`a clock does not go back (asked for ${ms}ms)`);
    this.nowNs += BigInt(Math.round(ms * 1e6));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = { at: this.nowNs + BigInt(Math.round(ms * 1e6)), resolve: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.remove(timer);
          reject(signal.reason);
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private remove(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  private schedule(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const next = this.timers.shift()!;
      if (next.at > this.nowNs) this.nowNs = next.at;
      next.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}
