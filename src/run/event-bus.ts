import type { Clock } from '../clock.js';
import type { AnyDrillEvent, EventListener, EventMap, EventType } from '../journal/events.js';

/**
 * Stamps each event with monotonic and wall-clock time and hands it to every subscriber,
 * synchronously and in order. The journal subscribes first so that nothing is shown that
 * was not recorded.
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];
  private readonly origin: bigint;

  constructor(private readonly clock: Clock) {
    this.origin = clock.now();
  }

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Nanoseconds since the bus was created, on the monotonic clock. */
  elapsedNs(): bigint {
    return this.clock.now() - this.origin;
  }

  emit<T extends EventType>(type: T, data: EventMap[T]): AnyDrillEvent {
    const event = { type, data, monoNs: this.elapsedNs(), time: this.clock.wallNow() } as AnyDrillEvent;
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
