/**
 * Numbers as people read them in the terminal. Two kinds of duration, on purpose:
 * - a *span* is a configured value (an interval, a timeout, an objective): shown compactly ("250ms", "15s", "1m30s");
 * - a *measurement* is something the drill observed: rounded UP, never down, so a displayed
 *   recovery time is never better than the one measured ("Truth in measurement", PRODUCT.md).
 */

/** A running clock for the live view, truncated to tenths: "12.3s", "1m02.3s". */
export function formatRunning(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1);
  return minutes === 0 ? `${seconds}s` : `${minutes}m${seconds.padStart(4, '0')}s`;
}

/** Time since the drill's clock origin, for the plain log's second column: "+1.234s". */
export function formatOffset(monoNs: bigint): string {
  const ms = monoNs / 1_000_000n;
  const seconds = ms / 1000n;
  const millis = (ms % 1000n).toString().padStart(3, '0');
  return `+${seconds}.${millis}s`;
}
