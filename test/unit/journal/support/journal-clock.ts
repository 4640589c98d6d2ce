import { FakeClock } from '../../../support/fake-clock.js';

/** The shared fake clock at the origins the committed fixture journals were recorded with. */
export function journalClock(): FakeClock {
  return new FakeClock(Date.UTC(2026, 4, 12, 9, 30, 0, 0), 7_000_000_000n);
}
