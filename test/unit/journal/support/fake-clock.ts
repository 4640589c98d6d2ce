import type { Clock } from '../../../../src/run/clock.js';

/**
 * A clock that only moves when told to. Monotonic time starts at an arbitrary "uptime" (as
 * hrtime does), wall time at a fixed instant, and both advance together, so a journal recorded
 * with it is the same bytes on every run, on every machine, in every time zone.
 */
export class FakeClock implements Clock {
  private ns: bigint;

  constructor(
    private readonly wallOriginMs = Date.UTC(2026, 4, 12, 9, 30, 0, 0),
    private readonly originNs = 7_000_000_000n,
  ) {
    this.ns = originNs;
  }

  now(): bigint {
    return this.ns;
  }

  wallNow(): Date {
    return new Date(this.wallOriginMs + Number((this.ns - this.originNs) / 1_000_000n));
  }

  /** Moves both clocks forward; fractions of a millisecond are kept to the nanosecond. */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`a clock does not go back (asked for ${ms}ms)`);
    this.ns += BigInt(Math.round(ms * 1e6));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.advance(ms);
    return Promise.resolve();
  }
}
