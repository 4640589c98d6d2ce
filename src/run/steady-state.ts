import { describeProbe, runProbe } from '../probes/registry.js';
import type { ProbeSpec } from '../probes/spec-schema.js';
import type { Topology } from '../topology/topology.js';
import type { Clock } from '../clock.js';
import type { EventBus } from './event-bus.js';
import type { Engine } from '../engine/ports.js';

interface SteadyStateCheck {
  phase: 'before' | 'after';
  probes: ProbeSpec[];
  /** How long the probes may take to all hold. */
  withinMs: number;
  everyMs: number;
}

/**
 * Polls every steady-state probe until all of them hold at once or the window passes, then
 * records each probe's final state. Resolves true when the steady state held.
 */
export async function checkSteadyState(
  deps: { engine: Engine; topology: Topology; clock: Clock; bus: EventBus },
  check: SteadyStateCheck,
  signal: AbortSignal,
): Promise<boolean> {
  const ctx = { engine: deps.engine, topology: deps.topology, signal, clock: deps.clock };
  const started = deps.clock.now();
  let attempts = 0;
  let results = await Promise.all(check.probes.map((probe) => runProbe(probe, ctx)));
  attempts += 1;
  while (!results.every((result) => result.ok) && !signal.aborted) {
    const elapsedMs = Number(deps.clock.now() - started) / 1e6;
    if (elapsedMs + check.everyMs > check.withinMs) break;
    await deps.clock.sleep(check.everyMs, signal).catch(() => undefined);
    if (signal.aborted) break;
    results = await Promise.all(check.probes.map((probe) => runProbe(probe, ctx)));
    attempts += 1;
  }
  results.forEach((result, i) => {
    deps.bus.emit('steady.checked', {
      phase: check.phase,
      probe: describeProbe(check.probes[i]!),
      ok: result.ok,
      summary: result.summary,
      attempts,
    });
  });
  return results.every((result) => result.ok);
}
