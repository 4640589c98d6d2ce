// Writes a realistic, hash-chained drill journal of about `events` entries through the real
// JournalWriter: one region-loss fault, three long wait steps polled every 50 ms, a stop
// condition that flaps, and a full rollback. Most entries are probe samples, as in a long drill.
import { JournalWriter } from '../dist/journal/writer.js';

const MS = 1_000_000n;

export function writeJournal(path, events) {
  const writer = JournalWriter.open(path);
  let monoNs = 5_000_000_000n;
  const origin = Date.UTC(2026, 10, 1, 2, 0, 0);
  const emit = (type, data, afterMs = 1) => {
    monoNs += BigInt(Math.round(afterMs * 1000)) * (MS / 1000n);
    writer.append({ type, data, monoNs, time: new Date(origin + Number((monoNs - 5_000_000_000n) / MS)) });
  };
  const containers = ['app-a', 'redis-a', 'app-b', 'redis-b', 'edge'].map((service, i) => ({
    id: `${String(i + 1).repeat(12)}${'0'.repeat(52)}`,
    name: `bench-${service}-1`,
    service,
    status: 'running',
    health: 'healthy',
  }));
  const waits = [0, 1, 2].map((i) => ({
    index: i + 1,
    name: `Check ${i + 1}`,
    action: 'wait',
    describe: `wait until GET http://127.0.0.1:808${i}/health → 200 (every 50ms, up to 2h)`,
    rtoMs: 60_000,
  }));
  emit('drill.started', {
    runId: 'bench',
    firedrillVersion: 'bench',
    project: 'bench',
    endpoint: 'unix:///var/run/docker.sock',
    playbook: {
      name: 'bench',
      title: 'Benchmark drill',
      summary: 'A long drill for the report benchmark.',
      file: 'bench.yaml',
      sha256: '0'.repeat(64),
    },
    objectives: { rtoMs: 120_000 },
    timeLimitMs: 7_200_000,
    rollback: 'always',
    steps: [{ index: 0, name: 'Lose region a', action: 'inject', describe: 'kill every container of region a' }, ...waits],
    restore: [],
    steadyState: ['GET http://127.0.0.1:8080/health → 200'],
  });
  emit('topology.resolved', {
    services: containers.map((c) => ({
      name: c.service,
      region: c.service.endsWith('-a') ? 'a' : c.service.endsWith('-b') ? 'b' : undefined,
      containers: [c],
    })),
    regions: { a: ['app-a', 'redis-a'], b: ['app-b', 'redis-b'] },
    networks: [{ id: 'f'.repeat(64), name: 'bench_default' }],
  });
  emit('phase.started', { phase: 'steps' });
  emit('stop-condition.watching', {
    name: 'orders',
    probe: 'POST http://127.0.0.1:8080/orders → 201',
    everyMs: 1000,
    from: 'first-fault',
    tolerateMs: 600_000,
    maxErrorRate: null,
    windowMs: null,
  });
  emit('step.started', {
    section: 'steps',
    index: 0,
    name: 'Lose region a',
    action: 'inject',
    describe: 'kill every container of region a',
  });
  const targets = containers.slice(0, 2).map((c) => ({ containerId: c.id, name: c.name, service: c.service }));
  emit('fault.injecting', {
    section: 'steps',
    index: 0,
    record: { ref: 'region-a', kind: 'region-loss', revertible: true, targets, spec: { kind: 'region-loss', region: 'a', mode: 'kill' } },
    plan: [{ apply: 'kill bench-app-a-1', revert: 'start bench-app-a-1' }],
  });
  emit('fault.applied', { ref: 'region-a', kind: 'region-loss', targets: targets.map((t) => t.name), injectMs: 100 }, 100);
  emit('step.finished', { section: 'steps', index: 0, status: 'passed', durationMs: 100 });
  const fixed = 24;
  const perWait = Math.max(1, Math.floor((events - fixed) / waits.length));
  for (const wait of waits) {
    emit('step.started', { section: 'steps', index: wait.index, name: wait.name, action: 'wait', describe: wait.describe });
    let streak = 0;
    for (let sample = 1; sample <= perWait; sample += 1) {
      const ok = sample > perWait / 2 || sample % 97 === 0;
      streak = ok ? streak + 1 : 0;
      emit(
        'probe.sample',
        {
          section: 'steps',
          index: wait.index,
          sample,
          ok,
          summary: ok ? 'HTTP 200 in 3ms' : 'connection refused',
          latencyMs: ok ? 3 : 1,
          streak,
        },
        50,
      );
      if (sample % 5000 === 0)
        emit(
          'stop-condition.changed',
          { name: 'orders', ok: sample % 10000 === 0, summary: 'HTTP 503 in 2ms', sample: sample / 50, latencyMs: 2 },
          0,
        );
    }
    emit('wait.finished', {
      section: 'steps',
      index: wait.index,
      met: true,
      samples: perWait,
      reference: { ref: 'region-a', kind: 'region-loss' },
      recoveryMs: perWait * 25,
      resolutionMs: 50,
      everyMs: 50,
      timeoutMs: 7_200_000,
    });
    emit('step.finished', { section: 'steps', index: wait.index, status: 'passed', durationMs: perWait * 50 });
    emit('objective.evaluated', {
      scope: 'step',
      index: wait.index,
      name: wait.name,
      targetMs: 60_000,
      measuredMs: perWait * 25,
      resolutionMs: 50,
      met: perWait * 25 <= 60_000,
    });
  }
  emit('stop-condition.ended', { name: 'orders', samples: 1000, failed: 10, breached: false });
  emit('phase.started', { phase: 'rollback' });
  emit(
    'fault.reverted',
    { ref: 'region-a', kind: 'region-loss', revertible: true, verified: true, done: ['started bench-app-a-1'], problems: [], manual: [] },
    500,
  );
  emit('phase.started', { phase: 'steady-state-after' });
  emit('steady.checked', {
    phase: 'after',
    probe: 'GET http://127.0.0.1:8080/health → 200',
    ok: true,
    summary: 'HTTP 200 in 3ms',
    attempts: 1,
  });
  emit('drill.finished', { verdict: 'passed', exitCode: 0, durationMs: Number((monoNs - 5_000_000_000n) / MS), reason: 'bench' });
  const written = writer.entries;
  writer.close();
  return written;
}
