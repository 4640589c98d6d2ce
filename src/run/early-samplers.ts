import type { Step } from '../playbook/schema.js';
import type { Section } from '../journal/events.js';
import type { DrillContext } from './drill-context.js';
import { WaitSampler } from './steps/wait-sampler.js';

/**
 * The wait steps of one section whose probes start sampling when their reference fault is
 * applied, in the background while the steps in between run: a recovery that comes before its
 * wait step begins is still bracketed at the polling interval, not by the whole time since the
 * fault. A wait's reference is known from the playbook: its `from`, or the fault of the last
 * inject step before it. At most one sampler per wait step; the wait step takes it over when it
 * begins, and the section stops every one left when it ends (a step failed, the drill aborted).
 */
export class EarlySamplers {
  private readonly samplers = new Map<number, WaitSampler>();

  constructor(
    private readonly ctx: DrillContext,
    private readonly section: Section,
    private readonly steps: Step[],
    private readonly signal: AbortSignal,
  ) {}

  /** After step `index` ended: the fault it applied, if any, starts the samplers of the later waits measured from it. */
  afterStep(index: number): void {
    const ref = this.faultRefOf(index);
    const reference = ref === undefined ? undefined : this.ctx.facts.applied.find((applied) => applied.ref === ref);
    if (!reference || reference.revertedNs !== undefined || this.signal.aborted) return;
    this.steps.forEach((step, later) => {
      if (later <= index || !step.wait || this.samplers.has(later)) return;
      if ((step.wait.from ?? this.lastFaultBefore(later)) !== ref) return;
      this.samplers.set(later, new WaitSampler(this.ctx, { section: this.section, index: later }, step.wait, reference, this.signal));
    });
  }

  /** The sampler the wait step at `index` takes over, if one started. */
  take(index: number): WaitSampler | undefined {
    const sampler = this.samplers.get(index);
    this.samplers.delete(index);
    return sampler;
  }

  /** The section ended: every sampler whose wait step never ran stops, its probe in flight ended first. */
  async stopAll(): Promise<void> {
    const left = [...this.samplers.values()];
    this.samplers.clear();
    await Promise.all(left.map((sampler) => sampler.stop()));
  }

  /** The ref of the fault an inject step applies (planned faults are the steps section's). */
  private faultRefOf(index: number): string | undefined {
    if (this.section !== 'steps' || !this.steps[index]?.inject) return undefined;
    return this.ctx.plannedFaults.get(index)?.ref;
  }

  private lastFaultBefore(index: number): string | undefined {
    for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
      const ref = this.faultRefOf(earlier);
      if (ref !== undefined) return ref;
    }
    return undefined;
  }
}
