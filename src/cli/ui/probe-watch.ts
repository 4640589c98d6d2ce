import type { EventMap } from '../../journal/events.js';

type Sample = EventMap['probe.sample'];

/** What is worth telling a person about one more sample of a wait step. */
export type SampleNotice =
  | { kind: 'first'; sample: Sample }
  | { kind: 'changed'; sample: Sample }
  | { kind: 'heartbeat'; sample: Sample; samples: number };

/** At most one heartbeat per this much drill time while nothing changes. */
export const HEARTBEAT_NS = 5_000_000_000n;

/**
 * Follows the samples of one wait step and decides which deserve a line: the first sample,
 * every change between ok and failing, and otherwise a heartbeat at most every 5 s of drill
 * time (measured from the last notice, or from the step's start). Times come from the events,
 * so the decision is the same every time the same events are replayed.
 */
export class ProbeWatch {
  samples = 0;
  last: Sample | undefined;
  /** The first sample that held: when it was taken (ms on the drill's clock) and its number. */
  firstOk: { atMs: number; sample: number } | null = null;
  lastFailureSample: number | null = null;
  /** When the streak of samples holding now began to be taken (ms on the drill's clock). */
  streakFromMs: number | null = null;
  private lastNoticeNs: bigint;

  constructor(
    startedNs: bigint,
    private readonly heartbeatNs = HEARTBEAT_NS,
  ) {
    this.lastNoticeNs = startedNs;
  }

  observe(sample: Sample, atNs: bigint): SampleNotice | null {
    const previous = this.last;
    this.samples += 1;
    this.last = sample;
    this.follow(sample, atNs);
    const notice = this.classify(sample, previous, atNs);
    if (notice) this.lastNoticeNs = atNs;
    return notice;
  }

  /** As the report's model does: a sample's event is written when the probe answered, latencyMs after it began. */
  private follow(sample: Sample, atNs: bigint): void {
    const takenAtMs = Math.max(0, Number(atNs) / 1e6 - sample.latencyMs);
    if (!sample.ok) {
      this.lastFailureSample = sample.sample;
      this.streakFromMs = null;
      return;
    }
    this.firstOk ??= { atMs: takenAtMs, sample: sample.sample };
    if (sample.streak <= 1 || this.streakFromMs === null) this.streakFromMs = takenAtMs;
  }

  private classify(sample: Sample, previous: Sample | undefined, atNs: bigint): SampleNotice | null {
    if (!previous) return { kind: 'first', sample };
    if (previous.ok !== sample.ok) return { kind: 'changed', sample };
    if (atNs - this.lastNoticeNs >= this.heartbeatNs) return { kind: 'heartbeat', sample, samples: this.samples };
    return null;
  }
}
