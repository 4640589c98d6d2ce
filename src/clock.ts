import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the runner sees it. `now()` is monotonic (nanoseconds, bigint) and is what every
 * measurement uses; `wallNow()` only labels events for humans. Tests use a fake clock.
 */
export interface Clock {
  now(): bigint;
  wallNow(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => process.hrtime.bigint(),
  wallNow: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined),
};

export const NS_PER_MS = 1_000_000n;

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}
