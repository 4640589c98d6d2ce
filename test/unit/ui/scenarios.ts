import { DrillScript, drillStarted, HEALTH, outline, STEPS, stepStarted, throughInjection } from './drill-script.js';

/**
 * Three drills as the runner reports them (same events, same order as src/run/drill-runner.ts):
 * one that passes, one whose wait step times out, and one aborted by Ctrl-C whose rollback
 * cannot be verified. Each returns the script so a test can keep emitting.
 */

export function passedDrill(script = new DrillScript()): DrillScript {
  throughInjection(script)
    .at(401)
    .emit('step.started', stepStarted(1))
    .samples(1, { fromMs: 651, everyMs: 250, count: 14, okAt: [14] })
    .emit(
      'wait.finished',
      waitFinished(1, { met: true, samples: 14, recoveryMs: 3501.3, resolutionMs: 250, everyMs: 250, timeoutMs: 30_000 }),
    )
    .emit('step.finished', { section: 'steps', index: 1, status: 'passed', durationMs: 3500.2 })
    .emit('objective.evaluated', {
      scope: 'step',
      index: 1,
      name: 'edge fails over',
      targetMs: 15_000,
      measuredMs: 3501.3,
      resolutionMs: 250,
      met: true,
    })
    .emit('step.started', stepStarted(2))
    .at(4600)
    .emit('action.finished', { section: 'steps', index: 2, ok: true, summary: 'restarted 1 container of edge' })
    .emit('step.finished', { section: 'steps', index: 2, status: 'passed', durationMs: 698.8 })
    .emit('objective.evaluated', {
      scope: 'drill',
      name: 'overall recovery time',
      targetMs: 20_000,
      measuredMs: 3501.3,
      resolutionMs: 250,
      met: true,
    })
    .at(4700)
    .emit('phase.started', { phase: 'rollback' })
    .at(5300)
    .emit('fault.reverted', verifiedRevert());
  restoreAndSteady(script, { restoreOk: true, steadyOk: true, atMs: 5300 });
  return script.emit('drill.finished', { verdict: 'passed', exitCode: 0, durationMs: 6100.4, reason: '2 of 2 objectives met' });
}

/** The wait polls every 500ms for up to 12s; the probe holds once (sample 3) and fails again. */
export const SLOW_WAIT = outline(1, 'edge fails over', 'wait', `wait until ${HEALTH} (every 500ms, 2 in a row, up to 12s)`, 10_000);

export function failedWait(script = new DrillScript()): DrillScript {
  throughInjection(script, drillStarted({ steps: [STEPS[0]!, SLOW_WAIT, STEPS[2]!] }))
    .at(1000)
    .emit('step.started', { section: 'steps', index: 1, name: SLOW_WAIT.name, action: 'wait', describe: SLOW_WAIT.describe })
    .samples(1, { fromMs: 1500, everyMs: 500, count: 24, okAt: [3] })
    .at(13_001)
    .emit(
      'wait.finished',
      waitFinished(1, { met: false, samples: 24, recoveryMs: null, resolutionMs: 500, everyMs: 500, timeoutMs: 12_000 }),
    )
    .emit('step.finished', {
      section: 'steps',
      index: 1,
      status: 'failed',
      durationMs: 12_001,
      error: 'condition did not hold within 12000ms (24 samples)',
    })
    .emit('objective.evaluated', {
      scope: 'step',
      index: 1,
      name: 'edge fails over',
      targetMs: 10_000,
      measuredMs: null,
      resolutionMs: 500,
      met: false,
      note: 'the condition never held',
    })
    .emit('step.finished', { section: 'steps', index: 2, status: 'not-run', durationMs: 0 })
    .emit('objective.evaluated', drillObjectiveNotMeasured())
    .emit('drill.aborting', { cause: 'step-failed', reason: 'step "edge fails over" failed; stopping the drill and rolling back' })
    .emit('phase.started', { phase: 'rollback' })
    .at(13_500)
    .emit('fault.reverted', verifiedRevert());
  restoreAndSteady(script, { restoreOk: true, steadyOk: true, atMs: 13_500 });
  return script.emit('drill.finished', { verdict: 'failed', exitCode: 1, durationMs: 14_300, reason: '0 of 2 objectives met' });
}

export function abortedWithRollback(script = new DrillScript()): DrillScript {
  throughInjection(script)
    .at(401)
    .emit('step.started', stepStarted(1))
    .samples(1, { fromMs: 651, everyMs: 250, count: 6 })
    .at(2000)
    .emit(
      'wait.finished',
      waitFinished(1, { met: false, samples: 6, recoveryMs: null, resolutionMs: 250, everyMs: 250, timeoutMs: 30_000 }),
    )
    .emit('step.finished', { section: 'steps', index: 1, status: 'failed', durationMs: 1599, error: 'aborted while waiting' })
    .emit('objective.evaluated', {
      scope: 'step',
      index: 1,
      name: 'edge fails over',
      targetMs: 15_000,
      measuredMs: null,
      resolutionMs: 250,
      met: false,
      note: 'the condition never held',
    })
    .emit('step.finished', { section: 'steps', index: 2, status: 'not-run', durationMs: 0 })
    .emit('objective.evaluated', drillObjectiveNotMeasured())
    .emit('drill.aborting', { cause: 'signal', reason: 'received SIGINT' })
    .emit('phase.started', { phase: 'rollback' })
    .at(9000)
    .emit('fault.reverted', {
      ref: 'a-down',
      kind: 'region-loss',
      revertible: true,
      verified: false,
      done: ['started demo-app-a-1'],
      problems: ['demo-db-a-1 is still exited after start'],
      manual: ['docker start c2'],
    })
    .emit('faults.remaining', { refs: ['a-down'], reason: 'their revert could not be verified' });
  restoreAndSteady(script, { restoreOk: false, steadyOk: false, atMs: 9000 });
  return script.emit('drill.finished', {
    verdict: 'rollback-incomplete',
    exitCode: 5,
    durationMs: 9800,
    reason: 'fault a-down may remain: run firedrill recover',
  });
}

function waitFinished(
  index: number,
  facts: { met: boolean; samples: number; recoveryMs: number | null; resolutionMs: number; everyMs: number; timeoutMs: number },
) {
  return { section: 'steps' as const, index, reference: { ref: 'a-down', kind: 'region-loss' }, ...facts };
}

function verifiedRevert() {
  return {
    ref: 'a-down',
    kind: 'region-loss',
    revertible: true,
    verified: true,
    done: ['started demo-app-a-1', 'started demo-db-a-1'],
    problems: [],
    manual: [],
  };
}

function drillObjectiveNotMeasured() {
  return {
    scope: 'drill' as const,
    name: 'overall recovery time',
    targetMs: 20_000,
    measuredMs: null,
    resolutionMs: null,
    met: false,
    note: 'the service did not recover within the drill',
  };
}

function restoreAndSteady(script: DrillScript, opts: { restoreOk: boolean; steadyOk: boolean; atMs: number }): void {
  const summary = opts.restoreOk ? 'exit 0: OK' : 'exit 1: Could not connect to Redis';
  script
    .emit('phase.started', { phase: 'restore' })
    .emit('step.started', stepStarted(0, 'restore'))
    .at(opts.atMs + 500)
    .emit('action.finished', { section: 'restore', index: 0, ok: opts.restoreOk, summary })
    .emit('step.finished', {
      section: 'restore',
      index: 0,
      status: opts.restoreOk ? 'passed' : 'failed',
      durationMs: 499.5,
      ...(opts.restoreOk ? {} : { error: summary }),
    })
    .emit('phase.started', { phase: 'steady-state-after' })
    .at(opts.atMs + 800)
    .emit('steady.checked', {
      phase: 'after',
      probe: HEALTH,
      ok: opts.steadyOk,
      summary: opts.steadyOk ? 'HTTP 200 in 5ms' : 'connection refused',
      attempts: opts.steadyOk ? 2 : 5,
    });
}
