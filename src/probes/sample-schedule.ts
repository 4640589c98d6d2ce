import { type Clock, NS_PER_MS, nsToMs } from '../clock.js';

/**
 * When a probe polled at a fixed rate samples next: on a grid of absolute instants, the first
 * sample's and every `every` after it, so a timer that fires late delays one sample, not all
 * the ones after it (sleeping `every` from each sample's start would add every delay to the
 * next). A sample that ends after its next instant was due is followed at once, and the grid
 * starts again from there: missed instants are not made up in a burst.
 */
export class SampleSchedule {
  private dueNs: bigint;
  private readonly everyNs: bigint;

  /** `firstNs`: when the first sample is due (now, for a loop that samples at once). */
  constructor(firstNs: bigint, everyMs: number) {
    this.dueNs = firstNs;
    this.everyNs = BigInt(everyMs) * NS_PER_MS;
  }

  /** Moves on by one sample: the instant the next one is due, never before `nowNs`. */
  advance(nowNs: bigint): bigint {
    this.dueNs += this.everyNs;
    if (this.dueNs < nowNs) this.dueNs = nowNs;
    return this.dueNs;
  }
}

/**
 * Sleeps on `clock` until `dueNs`, read on `now` (the clock the instant is on). A timer may wake
 * early (Node's timers count from the event loop's cached time, which a busy turn leaves behind),
 * so it sleeps again while a millisecond or more is left: a timer sleeps no less than that.
 * Resolves at once when the signal aborts.
 */
export async function sleepUntil(clock: Clock, now: () => bigint, dueNs: bigint, signal: AbortSignal): Promise<void> {
  let waitMs = nsToMs(dueNs - now());
  for (let attempt = 0; waitMs > 0 && attempt < 3 && !signal.aborted; attempt += 1) {
    await clock.sleep(waitMs, signal).catch(() => undefined);
    waitMs = nsToMs(dueNs - now());
    if (waitMs < 1) return;
  }
}
