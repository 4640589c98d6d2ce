import type { DrillAbort } from './abort.js';
import type { DrillContext } from './drill-context.js';
import { FaultExpiry } from './fault-expiry.js';
import { StopConditionWatch } from './stop-conditions.js';

/**
 * What keeps a drill inside its bounds while the steps run, besides the time limit: the
 * playbook's stop conditions and each fault's maxDuration. Both follow the steps through the
 * event bus (a fault.applied starts them) rather than through calls from the step executors,
 * and both end, by `stop()`, before the rollback begins: nothing they do may race it.
 */
export class DrillGuards {
  private readonly conditions: StopConditionWatch;
  private readonly expiry: FaultExpiry;
  private faultSeen = false;
  private active = true;

  constructor(ctx: DrillContext, drill: AbortController) {
    const onBreach = (abort: DrillAbort) => drill.abort(abort);
    this.conditions = new StopConditionWatch(ctx, ctx.playbook.stopConditions ?? [], onBreach, drill.signal);
    this.expiry = new FaultExpiry(ctx);
    const records = [...ctx.plannedFaults.values()];
    ctx.bus.subscribe((event) => {
      if (!this.active || event.type !== 'fault.applied') return;
      const record = records.find((candidate) => candidate.ref === event.data.ref);
      if (record) this.expiry.schedule(record, event.monoNs);
      if (this.faultSeen) return;
      this.faultSeen = true;
      // Listeners run inside emit(): the conditions' own first events wait for it to return.
      queueMicrotask(() => this.active && this.conditions.begin('first-fault'));
    });
  }

  /** The steps begin: conditions with `from: start` are watched from now on. */
  stepsStarting(): void {
    this.conditions.begin('start');
  }

  /** Before the rollback: stop watching, cancel expiries not yet due, let reverts under way finish. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.conditions.stop();
    await this.expiry.stop();
  }
}
