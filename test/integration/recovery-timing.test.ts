import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { playbookSchema, type PlaybookInput } from '../../src/playbook/schema.js';
import { systemClock } from '../../src/clock.js';
import { runDrill } from '../../src/run/drill-runner.js';
import { EventBus } from '../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap } from '../../src/journal/events.js';
import { planDrill } from '../../src/plan/plan.js';
import { startFixtureProject, stopFixtureProject, type FixtureProject } from './compose-project.js';

const EVERY_MS = 200;
/** Scheduling, the exec into the container and the HTTP round trip on a loaded 2-core machine. */
const TOLERANCE_MS = 150;
/** A wait whose probe sampled in the background while a slower step ran: its interval, and 25 ms for the rest. */
const SLOWER_EVERY_MS = 100;
const SLOWER_TOLERANCE_MS = 25;

/**
 * The truth test for measurement: a service that boots in ~1.5 s after a crash writes the
 * moment it starts listening in its own clock. The recovery time firedrill measures must match
 * (ready-at − fault applied) to within one polling interval plus a small tolerance, and must
 * never be earlier than the service's own moment.
 */
describe('recovery time against the service own timestamps', () => {
  let fixture: FixtureProject;
  beforeAll(async () => {
    fixture = await startFixtureProject('timed-recovery');
  });
  afterAll(async () => {
    if (fixture) await stopFixtureProject(fixture);
  });

  it('measures from fault applied to first healthy sample, within one interval', async () => {
    const { applied, wait, readyAt } = await crashAndWait([]);
    // The service's own recovery moment, relative to the fault applied (both on this host's clock).
    const actualMs = readyAt - applied.time.getTime();

    expect(actualMs).toBeGreaterThan(1400);
    expect(wait.recoveryMs).not.toBeNull();
    const errorMs = wait.recoveryMs! - actualMs;
    expect(errorMs).toBeGreaterThanOrEqual(-TOLERANCE_MS);
    expect(errorMs).toBeLessThanOrEqual(EVERY_MS + TOLERANCE_MS);
    expect(wait.resolutionMs).toBeGreaterThanOrEqual(EVERY_MS);
    console.log(`service ready ${actualMs}ms after the fault; measured ${wait.recoveryMs!.toFixed(1)}ms (±${wait.resolutionMs}ms)`);
  });

  it('brackets a recovery that came before its wait step began at the polling interval', async () => {
    // The service is back ~1.5 s after it is started; the wait step begins only once a 4 s pause has passed.
    const { applied, wait, readyAt, events } = await crashAndWait([{ name: 'look away', pause: '4s' }], SLOWER_EVERY_MS);
    const actualMs = readyAt - applied.time.getTime();
    const waitStarted = events.find((e) => e.type === 'step.started' && e.data.index === 3)!;

    expect(Number(waitStarted.monoNs - applied.monoNs) / 1e6 - actualMs).toBeGreaterThan(2000);
    expect(wait.recoveryMs).not.toBeNull();
    const errorMs = wait.recoveryMs! - actualMs;
    expect(errorMs).toBeGreaterThanOrEqual(-SLOWER_TOLERANCE_MS);
    expect(errorMs).toBeLessThanOrEqual(SLOWER_EVERY_MS + SLOWER_TOLERANCE_MS);
    expect(wait.resolutionMs).toBeGreaterThanOrEqual(SLOWER_EVERY_MS);
    expect(wait.resolutionMs).toBeLessThanOrEqual(SLOWER_EVERY_MS + SLOWER_TOLERANCE_MS);
    console.log(
      `after a slower step: service ready ${actualMs}ms after the fault; measured ${wait.recoveryMs!.toFixed(1)}ms (±${wait.resolutionMs}ms)`,
    );
  });

  /** Kills slow-web, starts it again, runs `between`, then waits for it to serve: the wait's facts and the service's own moment. */
  async function crashAndWait(between: PlaybookInput['steps'], everyMs = EVERY_MS) {
    const engine = createDockerEngine();
    const playbook = playbookSchema.parse({
      name: 'slow-web-crash',
      title: 'Slow web crash',
      summary: 'The web service crashes and is started again.',
      topology: { project: fixture.project },
      steps: [
        { name: 'crash', inject: { kind: 'service', id: 'crash', service: 'slow-web', mode: 'kill' } },
        { name: 'start it again', run: { kind: 'start', service: 'slow-web' } },
        ...between,
        {
          name: 'serves again',
          wait: {
            probe: { kind: 'http', url: 'http://127.0.0.1:18731/', timeout: '1s' },
            every: `${everyMs}ms`,
            timeout: '30s',
            rto: '10s',
          },
        },
      ],
    });
    const plan = await planDrill({ playbook, file: 'inline', sha256: '0'.repeat(64), project: fixture.project }, engine);
    const bus = new EventBus(systemClock);
    const events: AnyDrillEvent[] = [];
    bus.subscribe((event) => events.push(event));

    const outcome = await runDrill({
      plan,
      engine,
      clock: systemClock,
      bus,
      runId: 't',
      firedrillVersion: 'test',
      signal: new AbortController().signal,
    });
    expect(outcome.verdict).toBe('passed');

    const applied = events.find((e) => e.type === 'fault.applied')!;
    const wait = events.find((e) => e.type === 'wait.finished')!.data as EventMap['wait.finished'];
    const container = await fixture.container('slow-web');
    const readyAt = Number((await engine.exec(container.id, ['cat', '/tmp/ready-at'])).stdout.trim());
    return { applied, wait, readyAt, events };
  }
});
