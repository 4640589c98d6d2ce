import type { StopConditionSpec } from '../playbook/schema.js';
import { formatMeasured, formatTarget } from '../words/time-format.js';
import { NS_PER_MS, nsToMs } from '../clock.js';
import { percentExact, trimZeros } from '../words/number-words.js';

/**
 * When a stop condition counts as breached, judged sample by sample. Pure: the same samples
 * give the same verdicts. Times are when each sample BEGAN (on the drill's monotonic clock),
 * as for wait steps, so a slow probe does not shift the failure it reports.
 */

export interface BreachRules {
  /** Failing without one good sample in between for this long breaches; null: not judged. */
  tolerateMs: number | null;
  /** More than this share of the samples in the last `windowMs` failing breaches; null: not judged. */
  maxErrorRate: number | null;
  windowMs: number | null;
}

/** The playbook's rules, with the default filled in: no error rate and no tolerance means no failure is tolerated. */
export function breachRules(spec: Pick<StopConditionSpec, 'tolerate' | 'maxErrorRate' | 'window'>): BreachRules {
  const rate = spec.maxErrorRate !== undefined && spec.window !== undefined;
  return {
    tolerateMs: spec.tolerate ?? (rate ? null : 0),
    maxErrorRate: rate ? (spec.maxErrorRate ?? null) : null,
    windowMs: rate ? (spec.window ?? null) : null,
  };
}

export interface JudgedSample {
  startedNs: bigint;
  ok: boolean;
}

export interface Breach {
  rule: 'tolerate' | 'error-rate';
  /** The breaching sample's start. */
  sampledNs: bigint;
  /** The first failing sample the rule counted: the start of the failing run, or the window's first failure. */
  firstFailureNs: bigint;
  /** The samples the rule judged and how many failed. */
  samples: number;
  failed: number;
  /** One line for people: "failing for 2.001s without a break (tolerates 2s)". */
  reason: string;
}

export class BreachJudge {
  /** The samples inside the current window (error-rate rule only). */
  private readonly recent: JudgedSample[] = [];
  private firstSampleNs: bigint | undefined;
  private failingSinceNs: bigint | undefined;
  private failingRun = 0;

  constructor(private readonly rules: BreachRules) {}

  /** Adds the next sample (in time order) and says whether the condition is now breached. */
  judge(sample: JudgedSample): Breach | undefined {
    this.firstSampleNs ??= sample.startedNs;
    if (sample.ok) {
      this.failingSinceNs = undefined;
      this.failingRun = 0;
    } else {
      this.failingSinceNs ??= sample.startedNs;
      this.failingRun += 1;
    }
    this.remember(sample);
    return this.failingTooLong(sample) ?? this.failingTooOften(sample);
  }

  private failingTooLong(sample: JudgedSample): Breach | undefined {
    const { tolerateMs } = this.rules;
    if (tolerateMs === null || this.failingSinceNs === undefined) return undefined;
    const failingForMs = nsToMs(sample.startedNs - this.failingSinceNs);
    if (failingForMs < tolerateMs) return undefined;
    const reason =
      tolerateMs === 0
        ? 'the probe failed, and no failure is tolerated'
        : `failing for ${formatMeasured(failingForMs)} without a break (tolerates ${formatTarget(tolerateMs)})`;
    return {
      rule: 'tolerate',
      sampledNs: sample.startedNs,
      firstFailureNs: this.failingSinceNs,
      samples: this.failingRun,
      failed: this.failingRun,
      reason,
    };
  }

  private failingTooOften(sample: JudgedSample): Breach | undefined {
    const { maxErrorRate, windowMs } = this.rules;
    if (maxErrorRate === null || windowMs === null || this.firstSampleNs === undefined) return undefined;
    // Judged only once the samples span a whole window: one early failure is not a 100% rate.
    if (nsToMs(sample.startedNs - this.firstSampleNs) < windowMs) return undefined;
    const failures = this.recent.filter((s) => !s.ok);
    const rate = failures.length / this.recent.length;
    if (rate <= maxErrorRate || failures.length === 0) return undefined;
    const reason =
      `${failures.length} of ${this.recent.length} samples (${percentUp(rate)}) failed in the last ${formatTarget(windowMs)} ` +
      `(tolerates ${percentExact(maxErrorRate)})`;
    return {
      rule: 'error-rate',
      sampledNs: sample.startedNs,
      firstFailureNs: failures[0]!.startedNs,
      samples: this.recent.length,
      failed: failures.length,
      reason,
    };
  }

  /** Keeps the samples that began within the window ending at this one (none without an error-rate rule). */
  private remember(sample: JudgedSample): void {
    if (this.rules.windowMs === null || this.rules.maxErrorRate === null) return;
    this.recent.push(sample);
    const cutoffNs = sample.startedNs - BigInt(this.rules.windowMs) * NS_PER_MS;
    while (this.recent.length > 0 && this.recent[0]!.startedNs <= cutoffNs) this.recent.shift();
  }
}

/** An observed error rate, rounded UP to a tenth of a percent: a rate is never shown better than it was. */
function percentUp(rate: number): string {
  const tenths = Math.ceil(rate * 1000 - 1e-9);
  return `${trimZeros((tenths / 10).toFixed(1))}%`;
}
