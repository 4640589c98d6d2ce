import type { EventBus } from './event-bus.js';
import type { EventMap, RegressionCheckFacts } from '../journal/events.js';
import { checkRegression, type RegressionGate } from './regression.js';

/**
 * The regression gate during a run: it notes every objective as the runner evaluates it (from
 * the bus, so it sees exactly what the journal holds) and, once asked, compares them with the
 * baseline and emits regression.checked.
 */
export class RegressionGateWatch {
  private readonly evaluated: EventMap['objective.evaluated'][] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly gate: RegressionGate,
  ) {
    bus.subscribe((event) => {
      if (event.type === 'objective.evaluated') this.evaluated.push(event.data);
    });
  }

  /** Compares the objectives evaluated so far and journals the result. */
  check(): RegressionCheckFacts {
    const facts = checkRegression(this.gate, this.evaluated);
    this.bus.emit('regression.checked', facts);
    return facts;
  }
}
