import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRecord } from '../../../../src/faults/fault.js';
import { JournalWriter } from '../../../../src/journal/writer.js';
import { EventBus } from '../../../../src/run/event-bus.js';
import type { EventMap, EventType, RegressionCheckFacts } from '../../../../src/journal/events.js';
import { FakeClock } from '../../../support/fake-clock.js';

/**
 * Short journals of a two-step drill ("kill the app", then "app serves again" with an RTO),
 * recorded through a real EventBus and JournalWriter the way the runner writes them, at a
 * chosen start time and with a chosen recovery time: several of them make a runs directory
 * with a history.
 */
export interface ScriptedRun {
  /** ISO UTC start time, to the second: it also makes the run id. */
  at: string;
  playbook?: string;
  title?: string;
  project?: string;
  /** The wait step's recovery time; null: the condition never held (objectives not measured). */
  recoveryMs: number | null;
  /** Polling interval, which is the measurement's resolution. */
  everyMs?: number;
  stepRtoMs?: number;
  drillRtoMs?: number;
  /** finished (default), aborted by a signal mid-wait, or cut-off (the process died mid-wait: no result). */
  outcome?: 'finished' | 'aborted' | 'cut-off';
  /** Journaled before drill.finished, as the runner does with --max-regression. */
  regression?: RegressionCheckFacts;
}

export const PLAYBOOK = 'app-crash';
export const PROJECT = 'shop';
export const STEP_NAME = 'app serves again';

/** Records one run under `runsDir`; returns its run id (the directory's name). */
export function recordRun(runsDir: string, run: ScriptedRun): string {
  const playbook = run.playbook ?? PLAYBOOK;
  const stamp = run.at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const runId = `${stamp}-${playbook}-${createHash('sha256')
    .update(`${run.at}${playbook}${run.project ?? ''}`)
    .digest('hex')
    .slice(0, 6)}`;
  const dir = join(runsDir, runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'playbook.yaml'), `name: ${playbook}\n`);
  const writer = JournalWriter.open(join(dir, 'journal.jsonl'));
  try {
    const clock = new FakeClock(Date.parse(run.at), 3_000_000_000n);
    const bus = new EventBus(clock);
    bus.subscribe((event) => writer.append(event));
    play(bus, clock, runId, playbook, run);
  } finally {
    writer.close();
  }
  return runId;
}

function play(bus: EventBus, clock: FakeClock, runId: string, playbook: string, run: ScriptedRun): void {
  const emit = <T extends EventType>(type: T, data: EventMap[T], afterMs = 1) => {
    clock.advance(afterMs);
    bus.emit(type, data);
  };
  const everyMs = run.everyMs ?? 250;
  const stepRtoMs = run.stepRtoMs ?? 5000;
  const drillRtoMs = run.drillRtoMs ?? 10_000;
  emit(
    'drill.started',
    {
      runId,
      firedrillVersion: '0.1.0',
      playbook: {
        name: playbook,
        title: run.title ?? 'App crash',
        summary: 'The app crashes.',
        file: 'drill.yaml',
        sha256: 'a'.repeat(64),
      },
      project: run.project ?? PROJECT,
      endpoint: 'unix:///var/run/docker.sock',
      objectives: { rtoMs: drillRtoMs },
      timeLimitMs: 600_000,
      rollback: 'always',
      steps: [
        { index: 0, name: 'kill the app', action: 'inject', describe: 'kill every container of service app' },
        { index: 1, name: STEP_NAME, action: 'wait', describe: 'wait until check-app exits 0', rtoMs: stepRtoMs },
      ],
      restore: [],
      steadyState: [],
    },
    0,
  );
  emit('phase.started', { phase: 'steps' });
  emit('step.started', {
    section: 'steps',
    index: 0,
    name: 'kill the app',
    action: 'inject',
    describe: 'kill every container of service app',
  });
  const record: FaultRecord = {
    ref: 'crash',
    kind: 'service',
    revertible: true,
    spec: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' },
    targets: [{ containerId: 'c'.repeat(64), name: 'shop-app-1', service: 'app' }],
  };
  emit('fault.injecting', { section: 'steps', index: 0, record, plan: [{ apply: 'kill shop-app-1', revert: 'start shop-app-1' }] });
  emit('fault.applied', { ref: 'crash', kind: 'service', targets: ['shop-app-1'], injectMs: 40 }, 40);
  emit('step.finished', { section: 'steps', index: 0, status: 'passed', durationMs: 41 });
  emit('step.started', { section: 'steps', index: 1, name: STEP_NAME, action: 'wait', describe: 'wait until check-app exits 0' });
  if (run.outcome === 'cut-off') {
    emit('probe.sample', { section: 'steps', index: 1, sample: 1, ok: false, summary: 'exit 1', latencyMs: 2, streak: 0 }, everyMs);
    return; // the process died here
  }
  const aborted = run.outcome === 'aborted';
  const recoveryMs = aborted ? null : run.recoveryMs;
  emit(
    'wait.finished',
    {
      section: 'steps',
      index: 1,
      met: recoveryMs !== null,
      samples: 3,
      reference: { ref: 'crash', kind: 'service' },
      recoveryMs,
      resolutionMs: everyMs,
      everyMs,
      timeoutMs: 20_000,
    },
    recoveryMs ?? 20_000,
  );
  emit('step.finished', {
    section: 'steps',
    index: 1,
    status: recoveryMs !== null ? 'passed' : 'failed',
    durationMs: recoveryMs ?? 20_000,
  });
  const stepMet = recoveryMs !== null && recoveryMs <= stepRtoMs;
  const drillMs = recoveryMs === null ? null : recoveryMs + 40;
  const drillMet = drillMs !== null && drillMs <= drillRtoMs;
  const note = aborted
    ? { note: 'the drill was aborted before the condition held' }
    : recoveryMs === null
      ? { note: 'the condition never held' }
      : {};
  emit('objective.evaluated', {
    scope: 'step',
    index: 1,
    name: STEP_NAME,
    targetMs: stepRtoMs,
    measuredMs: recoveryMs,
    resolutionMs: everyMs,
    met: stepMet,
    ...note,
  });
  emit('objective.evaluated', {
    scope: 'drill',
    name: 'overall recovery time',
    targetMs: drillRtoMs,
    measuredMs: drillMs,
    resolutionMs: drillMs === null ? null : everyMs,
    met: drillMet,
  });
  if (run.regression) emit('regression.checked', run.regression);
  if (aborted) emit('drill.aborting', { cause: 'signal', reason: 'SIGINT received (Ctrl-C)' });
  emit('phase.started', { phase: 'rollback' });
  emit(
    'fault.reverted',
    { ref: 'crash', kind: 'service', revertible: true, verified: true, done: ['started shop-app-1'], problems: [], manual: [] },
    300,
  );
  const missed = [stepMet, drillMet].filter((met) => !met).length;
  const regressed = run.regression?.regressed ?? 0;
  const verdict = aborted
    ? { verdict: 'aborted' as const, exitCode: 4, reason: 'aborted (signal)' }
    : missed > 0 || regressed > 0
      ? {
          verdict: 'failed' as const,
          exitCode: 1,
          reason:
            missed > 0
              ? `${missed} of 2 objectives missed`
              : `recovery time regressed beyond ${run.regression?.maxRegressionPct}% on ${regressed} objective(s)`,
        }
      : { verdict: 'passed' as const, exitCode: 0, reason: '2 of 2 objectives met' };
  emit('drill.finished', { ...verdict, durationMs: clock.elapsedMs() });
}
