import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverCommand } from '../../../src/cli/commands/recover.js';
import type { ContainerProjects, OwnContainer, OwnContainers } from '../../../src/engine/ports.js';
import { UsageError } from '../../../src/errors.js';
import { ExitCode } from '../../../src/exit-codes.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { EventMap } from '../../../src/journal/events.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine, FakeEngineError } from '../../support/fake-engine.js';
import { captureIo } from '../history/support/capture-io.js';
import { useTempDir } from '../journal/support/temp-dir.js';

/**
 * `recover` driven end to end over a fake engine: a primary/replica store in project `ledger`,
 * a cache in `ledger-staging`, and helper containers left beside them. What it must do first
 * is revert; what it holds while it reverts is the project's lock.
 */
const tempDir = useTempDir();
const STARTED = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/journals/region-a-loss-cut-off/journal.jsonl'), 'utf8').split('\n')[0]!,
) as {
  data: EventMap['drill.started'];
};

/** Own containers firedrill left, on top of the fake engine; `refuse` makes the engine refuse some. */
class RecoverEngine extends FakeEngine implements OwnContainers, ContainerProjects {
  readonly own: OwnContainer[] = [];
  readonly removedOwn: string[] = [];
  listError: Error | undefined;
  readonly refuse = new Map<string, Error>();

  async listOwnContainers(label: string): Promise<OwnContainer[]> {
    if (this.listError && label.startsWith('firedrill.helper')) throw this.listError;
    const [key, value] = label.split('=');
    return this.own.filter(
      (c) => !this.removedOwn.includes(c.id) && key !== undefined && key in c.labels && (value === undefined || c.labels[key] === value),
    );
  }

  async removeOwnContainer(id: string): Promise<void> {
    const refusal = this.refuse.get(id);
    if (refusal) throw refusal;
    this.removedOwn.push(id);
  }

  async composeProjectOf(id: string): Promise<string | null | undefined> {
    try {
      const c = this.container(id);
      return c.removed ? undefined : c.project;
    } catch {
      return undefined;
    }
  }
}

function engineWithStores(): RecoverEngine {
  const engine = new RecoverEngine([
    { service: 'ledger-primary', project: 'ledger', status: 'paused' },
    { service: 'ledger-replica', project: 'ledger', status: 'running' },
    { service: 'edge-cache', project: 'ledger-staging', status: 'paused' },
  ]);
  const neverStarted = (id: string, beside: string): OwnContainer => ({
    id: id.padEnd(64, '0'),
    name: `firedrill-helper-${id}`,
    state: 'created',
    createdAt: '2020-01-01T00:00:00.000Z',
    labels: { 'firedrill.helper': 'true', 'firedrill.project': 'ledger', 'firedrill.fault': 'cut' },
    joins: [engine.container(beside).id],
  });
  engine.own.push(neverStarted('a1', 'ledger-ledger-primary-1'), neverStarted('a2', 'ledger-ledger-replica-1'));
  return engine;
}

function pauseRecord(engine: FakeEngine, ref: string, service: string): FaultRecord {
  const c = engine.containersOf(service)[0]!;
  return {
    ref,
    kind: 'service',
    revertible: true,
    spec: { kind: 'service', service, mode: 'pause', signal: 'SIGKILL' },
    targets: [{ containerId: c.id, name: c.name, service }],
  };
}

/** A run killed with `records` applied; with `startDamaged`, its start record is garbage. */
function killedRun(runsDir: string, project: string, records: FaultRecord[], opts: { startDamaged?: boolean; name?: string } = {}): string {
  const dir = join(runsDir, opts.name ?? '20261120T090000Z-ledger-failover-0a0a0a');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'journal.jsonl');
  const writer = JournalWriter.open(path);
  const bus = new EventBus(new FakeClock());
  bus.subscribe((event) => writer.append(event));
  bus.emit('drill.started', { ...STARTED.data, runId: 'ledger-failover-1', project });
  records.forEach((record, index) => bus.emit('fault.injecting', { section: 'steps', index, record, plan: [] }));
  writer.close();
  if (opts.startDamaged) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[0] = '{"seq":0,"time":"2026-11-20T09:00:00.000Z","monoNs":0,"type":"drill.started","da';
    writeFileSync(path, lines.join('\n'));
  }
  return dir;
}

async function recover(engine: RecoverEngine, runDir: string | undefined, opts: { project?: string; runsDir: string }) {
  const captured = captureIo();
  const code = await recoverCommand(runDir, opts, captured.io, engine);
  return { code, out: captured.stdout(), err: captured.stderr() };
}

function recoveryStarted(dir: string): EventMap['recovery.started'] {
  const name = readdirSync(dir).find((file) => file.startsWith('recovery-'))!;
  return (JSON.parse(readFileSync(join(dir, name), 'utf8').split('\n')[0]!) as { data: EventMap['recovery.started'] }).data;
}

describe('recover reverts faults first; a leftover the engine will not remove never stops it', () => {
  it('a helper the engine refuses to remove (500 device busy): the fault is reverted, the refusal named, the exit is the faults’ own', async () => {
    const engine = engineWithStores();
    const runsDir = tempDir();
    killedRun(runsDir, 'ledger', [pauseRecord(engine, 'primary-paused', 'ledger-primary')]);
    engine.refuse.set(
      'a1'.padEnd(64, '0'),
      new Error('remove container firedrill-helper-a1: (HTTP code 500) server error - device or resource busy'),
    );

    const { code, out, err } = await recover(engine, undefined, { project: 'ledger', runsDir });

    expect(engine.container('ledger-ledger-primary-1').status).toBe('running');
    expect(engine.container('ledger-staging-edge-cache-1').status).toBe('paused');
    expect(engine.removedOwn).toEqual(['a2'.padEnd(64, '0')]);
    expect(out).toContain('removed helper container firedrill-helper-a2 beside ledger-ledger-replica-1');
    expect(err).toContain('could not remove helper container firedrill-helper-a1 beside ledger-ledger-primary-1');
    expect(err).toContain('device or resource busy — remove it with `docker rm -f a10000000000`');
    expect(out).not.toContain('nothing to recover');
    expect(code).toBe(ExitCode.Passed);
    expect(engine.locks.size).toBe(0);
  });

  it('a remote engine that fails to list the helpers: the fault is reverted first, and the failure is said', async () => {
    const engine = engineWithStores();
    const runsDir = tempDir();
    killedRun(runsDir, 'ledger', [pauseRecord(engine, 'primary-paused', 'ledger-primary')]);
    engine.listError = new FakeEngineError(500, 'list the containers labelled firedrill.helper=true: connection reset by peer');

    const { code, err } = await recover(engine, undefined, { project: 'ledger', runsDir });

    expect(engine.container('ledger-ledger-primary-1').status).toBe('running');
    expect(err).toContain(
      'could not look for helper containers left on project ledger: list the containers labelled firedrill.helper=true: connection reset by peer',
    );
    expect(code).toBe(ExitCode.Passed);
  });
});

describe('recover <run-dir> of a run whose start record cannot be read', () => {
  it('takes the project from its fault records’ containers and holds that project’s lock while it reverts', async () => {
    const engine = engineWithStores();
    const dir = killedRun(tempDir(), 'ledger', [pauseRecord(engine, 'primary-paused', 'ledger-primary')], { startDamaged: true });
    const lockedWhileReverting: string[] = [];
    engine.before('unpause', () => void lockedWhileReverting.push(...engine.locks.keys()));

    const { code, out } = await recover(engine, dir, { runsDir: tempDir() });

    expect(engine.container('ledger-ledger-primary-1').status).toBe('running');
    expect(lockedWhileReverting).toEqual(['firedrill-lock-ledger']);
    expect(recoveryStarted(dir)).toMatchObject({ project: 'ledger', lock: { name: 'firedrill-lock-ledger' } });
    // Its journal still cannot be read whole: never called clean.
    expect(out).toContain('could not read all of run');
    expect(code).toBe(ExitCode.RollbackIncomplete);
    expect(engine.removedOwn).toHaveLength(2);
  });

  it('refuses, reverting nothing, when its fault records name containers of two projects', async () => {
    const engine = engineWithStores();
    const records = [pauseRecord(engine, 'primary-paused', 'ledger-primary'), pauseRecord(engine, 'cache-paused', 'edge-cache')];
    const dir = killedRun(tempDir(), 'ledger', records, { startDamaged: true });

    const refused = recover(engine, dir, { runsDir: tempDir() });

    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(
      /ledger-ledger-primary-1 of project ledger; ledger-staging-edge-cache-1 of project ledger-staging — they do not agree on one/,
    );
    expect(engine.container('ledger-ledger-primary-1').status).toBe('paused');
    expect(engine.container('ledger-staging-edge-cache-1').status).toBe('paused');
    expect(engine.callsTo('createLock')).toEqual([]);
  });

  it('refuses, naming --project, when no container it names exists; with --project it recovers under that project’s lock', async () => {
    const engine = engineWithStores();
    const gone: FaultRecord = {
      ...pauseRecord(engine, 'replica-paused', 'ledger-replica'),
      targets: [{ containerId: 'f'.repeat(64), name: 'ledger-ledger-replica-2', service: 'ledger-replica' }],
    };
    const dir = killedRun(tempDir(), 'ledger', [gone], { startDamaged: true });

    await expect(recover(engine, dir, { runsDir: tempDir() })).rejects.toThrow(
      `give the project with \`firedrill recover ${dir} --project <compose project>\``,
    );
    expect(engine.callsTo('createLock')).toEqual([]);

    const { out } = await recover(engine, dir, { project: 'ledger', runsDir: tempDir() });
    expect(recoveryStarted(dir)).toMatchObject({ project: 'ledger', lock: { name: 'firedrill-lock-ledger' } });
    expect(out).toContain('removed helper container firedrill-helper-a1');
  });

  it('--project is checked against the containers, and against a journal that says its project', async () => {
    const engine = engineWithStores();
    const damaged = killedRun(tempDir(), 'ledger', [pauseRecord(engine, 'primary-paused', 'ledger-primary')], { startDamaged: true });
    await expect(recover(engine, damaged, { project: 'ledger-staging', runsDir: tempDir() })).rejects.toThrow(
      /not all of them are of project ledger-staging/,
    );

    const intact = killedRun(tempDir(), 'ledger', [pauseRecord(engine, 'primary-paused', 'ledger-primary')]);
    await expect(recover(engine, intact, { project: 'ledger-staging', runsDir: tempDir() })).rejects.toThrow(
      'was against compose project ledger, not ledger-staging',
    );
    expect(engine.container('ledger-ledger-primary-1').status).toBe('paused');
    expect(engine.callsTo('createLock')).toEqual([]);

    const { code } = await recover(engine, intact, { project: 'ledger', runsDir: tempDir() });
    expect(code).toBe(ExitCode.Passed);
    expect(engine.container('ledger-ledger-primary-1').status).toBe('running');
  });
});
