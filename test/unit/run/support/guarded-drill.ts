import { attachPlainLog } from '../../../../src/cli/ui/plain-log.js';
import { JournalWriter } from '../../../../src/journal/writer.js';
import { playbookSchema, type PlaybookInput } from '../../../../src/playbook/schema.js';
import { runDrill } from '../../../../src/run/drill-runner.js';
import { EventBus } from '../../../../src/run/event-bus.js';
import type { AnyDrillEvent, EventMap, EventType } from '../../../../src/journal/events.js';
import { planDrill } from '../../../../src/plan/plan.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { FakeEngine } from '../../../support/fake-engine.js';

export const PROJECT = 'shop';

/**
 * A shop with an app (region a) and a db (region b), run by the real runner on a FakeEngine and
 * a FakeClock. Two exec probes run "in" db: `check-b` holds while `regionB(ms since the clock
 * started)` says so, `check-app` holds while the app container runs (not paused, not killed).
 */
export interface GuardedDrillOptions {
  regionB?: (elapsedMs: number, engine: FakeEngine) => boolean;
  beforeRun?: (engine: FakeEngine, clock: FakeClock) => void;
  /** Also write the journal here. */
  journalPath?: string;
  /** Also render the CI log into this array. */
  plainLog?: string[];
}

export const checkB = { kind: 'exec' as const, service: 'db', command: ['check-b'] };
export const checkApp = { kind: 'exec' as const, service: 'db', command: ['check-app'] };

export const pauseApp = (extra: Record<string, unknown> = {}) => ({
  name: 'freeze the app',
  inject: { kind: 'service' as const, id: 'freeze', service: 'app', mode: 'pause' as const, ...extra },
});

export function guardedPlaybook(overrides: Partial<PlaybookInput>): PlaybookInput {
  return {
    name: 'guarded',
    title: 'Guarded drill',
    summary: 'The app freezes while region b must keep answering.',
    topology: { project: PROJECT },
    steps: [pauseApp(), { name: 'hold it', pause: '10s' }],
    ...overrides,
  };
}

export async function runGuardedDrill(input: PlaybookInput, opts: GuardedDrillOptions = {}) {
  const clock = new FakeClock();
  const engine = new FakeEngine(
    [
      { service: 'app', project: PROJECT, status: 'running', labels: { 'firedrill.region': 'a' } },
      { service: 'db', project: PROJECT, status: 'running', labels: { 'firedrill.region': 'b' } },
    ],
    { project: PROJECT },
  );
  const regionB = opts.regionB ?? (() => true);
  engine.onExec((_id, command) => {
    const line = command.join(' ');
    const ok =
      line === 'check-b'
        ? regionB(clock.elapsedMs(), engine)
        : line === 'check-app'
          ? engine.containersOf('app')[0]!.status === 'running'
          : true;
    return ok ? { exitCode: 0, stdout: 'ok', stderr: '' } : { exitCode: 1, stdout: '', stderr: 'connection refused' };
  });
  const plan = await planDrill(
    { playbook: playbookSchema.parse(input), file: 'guarded.yaml', sha256: 'x'.repeat(64), project: PROJECT },
    engine,
  );
  const bus = new EventBus(clock);
  const journal = opts.journalPath ? JournalWriter.open(opts.journalPath) : undefined;
  if (journal) bus.subscribe((event) => journal.append(event));
  const events: AnyDrillEvent[] = [];
  bus.subscribe((event) => events.push(event));
  if (opts.plainLog)
    attachPlainLog(
      (listener) => bus.subscribe(listener),
      (line) => opts.plainLog!.push(line),
      { color: false },
    );
  opts.beforeRun?.(engine, clock);
  let outcome;
  try {
    outcome = await runDrill({ plan, engine, clock, bus, runId: 'run-1', firedrillVersion: '0.0.0', signal: new AbortController().signal });
  } finally {
    journal?.close();
  }
  const of = <T extends EventType>(type: T) => events.filter((e) => e.type === type).map((e) => e.data as EventMap[T]);
  /** Milliseconds on the drill's clock at which the first event of a type was emitted. */
  const atMs = (type: EventType) => Number(events.find((e) => e.type === type)?.monoNs ?? -1n) / 1e6;
  const types = events.map((e) => e.type);
  return { outcome, events, of, atMs, types, engine, clock };
}
