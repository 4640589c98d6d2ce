import { describe, expect, it } from 'vitest';
import type { EngineLocks } from '../../../src/engine/ports.js';
import { EnvironmentError } from '../../../src/errors.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import {
  LOCK_LABELS,
  acquireProjectLock,
  describeTakeover,
  drillLockTtlMs,
  lockFacts,
  refuseIfProjectBusy,
  type LockEnvironment,
} from '../../../src/lock/project-lock.js';
import { FakeEngine } from '../../support/fake-engine.js';

const PROJECT = 'shop';
const LOCK = 'firedrill-lock-shop';
const IMAGE = 'sha256:0123';
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

/**
 * A process as the lock sees it: its host, pid, clock, and which pids are alive; by default in
 * the host's first boot and its initial PID namespace.
 */
function processOn(
  host: string,
  pid: number,
  opts: { nowMs?: number; alive?: number[]; bootId?: string; pidNamespace?: string } = {},
): LockEnvironment {
  let ids = 0;
  const alive = new Set(opts.alive ?? []);
  return {
    now: () => new Date(opts.nowMs ?? T0),
    host,
    bootId: opts.bootId ?? `${host}-boot-1`,
    pidNamespace: opts.pidNamespace ?? 'pid:[4026531836]',
    pid,
    isAlive: (candidate) => candidate === pid || alive.has(candidate),
    newId: () => `${host}-${pid}-${(ids += 1)}`,
  };
}

const request = { project: PROJECT, image: IMAGE, purpose: 'run' as const, playbook: 'app-crash', ttlMs: 600_000 };

function lockNames(engine: FakeEngine): string[] {
  return [...engine.locks.keys()].sort();
}

describe('project lock', () => {
  it('is a container named after the project, from the given image, labelled with its holder and no compose label', async () => {
    const engine = new FakeEngine([]);
    const held = await acquireProjectLock(engine, request, processOn('ci-1', 100));
    expect(held.name).toBe(LOCK);
    const [name, image, labels] = engine.callsTo('createLock')[0] as [string, string, Record<string, string>];
    expect([name, image]).toEqual([LOCK, IMAGE]);
    expect(labels).toEqual({
      [LOCK_LABELS.lock]: 'true',
      [LOCK_LABELS.id]: 'ci-1-100-1',
      [LOCK_LABELS.project]: PROJECT,
      [LOCK_LABELS.purpose]: 'run',
      [LOCK_LABELS.playbook]: 'app-crash',
      [LOCK_LABELS.host]: 'ci-1',
      [LOCK_LABELS.bootId]: 'ci-1-boot-1',
      [LOCK_LABELS.pidNamespace]: 'pid:[4026531836]',
      [LOCK_LABELS.pid]: '100',
      [LOCK_LABELS.startedAt]: '2026-01-10T12:00:00.000Z',
      [LOCK_LABELS.expiresAt]: '2026-01-10T12:10:00.000Z',
    });
    expect(Object.keys(labels).some((key) => key.startsWith('com.docker.compose'))).toBe(false);
    expect(held.tookOver).toBeUndefined();
  });

  it('refuses a second drill while the holder lives, naming it (exit 3), and leaves its lock alone', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    const second = acquireProjectLock(engine, { ...request, playbook: 'other' }, processOn('ci-1', 200, { alive: [100] }));
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(ExitCode.Environment);
    expect((error as Error).message).toContain(
      'compose project shop is busy: a drill of playbook app-crash (pid 100 on host ci-1) since 2026-01-10T12:00:00.000Z holds its lock firedrill-lock-shop',
    );
    expect((error as Error).message).toContain('Wait for it to finish');
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.id]).toBe('ci-1-100-1');
    expect(engine.callsTo('removeLock')).toEqual([]);
  });

  it('takes over the lock of a process on this host that is gone, and says whose it was', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    // pid 100 is not in the new process's list of live pids: it was killed.
    const held = await acquireProjectLock(engine, { ...request, playbook: 'next' }, processOn('ci-1', 200));
    expect(held.tookOver).toMatchObject({ why: 'process-gone', holder: { pid: 100, host: 'ci-1', playbook: 'app-crash' } });
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('200');
    expect(lockNames(engine)).toEqual([LOCK]); // the takeover marker is gone
    expect(describeTakeover(held)).toBe(
      'took over the stale lock firedrill-lock-shop of a drill of playbook app-crash (pid 100 on host ci-1) since 2026-01-10T12:00:00.000Z: its process is gone',
    );
    expect(lockFacts(held)).toEqual({
      name: LOCK,
      expiresAt: '2026-01-10T12:10:00.000Z',
      tookOver: {
        purpose: 'run',
        playbook: 'app-crash',
        host: 'ci-1',
        pid: 100,
        startedAt: '2026-01-10T12:00:00.000Z',
        why: 'process-gone',
      },
    });
  });

  it('cannot tell whether a holder on another machine lives: busy until the lock lapses, with the command to remove it', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    const error = await acquireProjectLock(engine, request, processOn('laptop', 100)).catch((e: unknown) => e);
    expect((error as Error).message).toContain('runs on another machine');
    expect((error as Error).message).toContain('docker rm -f firedrill-lock-shop');

    const later = await acquireProjectLock(engine, request, processOn('laptop', 100, { nowMs: T0 + 600_000 }));
    expect(later.tookOver?.why).toBe('expired');
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.host]).toBe('laptop');
  });

  it('lets exactly one of two processes racing for the same stale lock win; the other is told who holds it', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    const a = processOn('ci-1', 200, { alive: [300] });
    const b = processOn('ci-1', 300, { alive: [200] });
    const results = await Promise.allSettled([acquireProjectLock(engine, request, a), acquireProjectLock(engine, request, b)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(EnvironmentError);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireProjectLock>>>).value;
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.id]).toBe(winner.holder.id);
    expect(lockNames(engine)).toEqual([LOCK]);
  });

  it('a latecomer that saw the stale holder removes nothing once the lock has changed hands', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    const winner = await acquireProjectLock(engine, request, processOn('ci-1', 200));
    // The latecomer read the lock before the takeover: its first look still shows pid 100's labels.
    const stale = { ...engine.locks.get(LOCK)!, [LOCK_LABELS.id]: 'ci-1-100-1', [LOCK_LABELS.pid]: '100' };
    let looks = 0;
    const lateView: EngineLocks & { endpoint: string } = {
      endpoint: engine.endpoint,
      createLock: (...args) => engine.createLock(...args),
      removeLock: (...args) => engine.removeLock(...args),
      readLock: async (name, opts) => (name === LOCK && (looks += 1) === 1 ? { ...stale } : engine.readLock(name, opts)),
    };
    const error = await acquireProjectLock(lateView, request, processOn('ci-1', 300, { alive: [200] })).catch((e: unknown) => e);
    expect((error as Error).message).toContain('(pid 200 on host ci-1)');
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.id]).toBe(winner.holder.id);
    expect(lockNames(engine)).toEqual([LOCK]);
  });

  it('releases only its own lock', async () => {
    const engine = new FakeEngine([]);
    const first = await acquireProjectLock(engine, { ...request, ttlMs: 1000 }, processOn('ci-1', 100));
    // From another machine, which cannot see pid 100: the lapsed lock is taken over.
    const second = await acquireProjectLock(engine, request, processOn('ci-2', 200, { nowMs: T0 + 1000 }));
    expect(second.tookOver?.why).toBe('expired');
    await first.release();
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.id]).toBe(second.holder.id);
    await second.release();
    expect(lockNames(engine)).toEqual([]);
    await second.release(); // twice is fine
  });

  it('never takes over from a live process on this host, even past its expiry, and says why', async () => {
    const engine = new FakeEngine([]);
    await acquireProjectLock(engine, { ...request, ttlMs: 1000 }, processOn('ci-1', 100));
    const late = processOn('ci-1', 200, { nowMs: T0 + 3_600_000, alive: [100] });
    const error = await acquireProjectLock(engine, request, late).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain(
      'Its lock lapsed at 2026-01-10T12:00:01.000Z, but its process is still alive on this host, so firedrill does not take the lock over.',
    );
    expect((error as Error).message).toContain('kill -INT 100');
    await expect(refuseIfProjectBusy(engine, PROJECT, late)).rejects.toThrow('is busy');
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('100');
  });

  it('judges a holder by its process only in the same PID namespace and boot: elsewhere under the same host name, by expiry', async () => {
    for (const other of [{ pidNamespace: 'pid:[4026532999]' }, { bootId: 'ci-1-boot-2' }]) {
      const engine = new FakeEngine([]);
      // A CI job in a container run with --network host: the host's name, a PID namespace of its own.
      await acquireProjectLock(engine, request, processOn('ci-1', 100, other));
      // pid 100 is not alive here, but here is not where it ran: the lock stands.
      const error = await acquireProjectLock(engine, request, processOn('ci-1', 200)).catch((e: unknown) => e);
      expect((error as Error).message).toContain('It runs on a host of the same name but in another PID namespace or boot');
      expect((error as Error).message).toContain('the lock lapses at 2026-01-10T12:10:00.000Z');
      expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('100');

      const later = await acquireProjectLock(engine, request, processOn('ci-1', 200, { nowMs: T0 + 600_000 }));
      expect(later.tookOver?.why).toBe('expired');
    }
  });

  it('judges a lock written without boot id and PID namespace by its expiry', async () => {
    const engine = new FakeEngine([]);
    engine.locks.set(LOCK, {
      [LOCK_LABELS.lock]: 'true',
      [LOCK_LABELS.id]: 'old',
      [LOCK_LABELS.host]: 'ci-1',
      [LOCK_LABELS.pid]: '100',
      [LOCK_LABELS.startedAt]: '2026-01-10T11:55:00.000Z',
      [LOCK_LABELS.expiresAt]: '2026-01-10T12:05:00.000Z',
    });
    await expect(acquireProjectLock(engine, request, processOn('ci-1', 200))).rejects.toThrow('cannot tell whether it is still alive');
    const later = await acquireProjectLock(engine, request, processOn('ci-1', 200, { nowMs: T0 + 300_000 }));
    expect(later.tookOver).toMatchObject({ why: 'expired', holder: { id: 'old' } });
  });

  describe('a takeover marker left by a process that died mid-takeover', () => {
    /** The lock of dead pid 100, and the marker pid 150 created to take it over before it died too. */
    async function leftBehind(marker: { host: string; pid: number; nowMs?: number }) {
      const engine = new FakeEngine([]);
      await acquireProjectLock(engine, request, processOn('ci-1', 100));
      const markerName = `${LOCK}-takeover-ci-1-100-1`;
      const dying = processOn(marker.host, marker.pid, { nowMs: marker.nowMs ?? T0 });
      // What claimMarker writes: the contender's own labels, a short expiry, and whose lock it takes over.
      const seed = new FakeEngine([]);
      await acquireProjectLock(seed, { ...request, ttlMs: 3 * 60_000 }, dying);
      engine.locks.set(markerName, { ...seed.locks.get(LOCK)!, [LOCK_LABELS.takeoverOf]: 'ci-1-100-1' });
      return { engine, markerName };
    }

    it('is replaced once its process is seen gone on this host, and the lock is taken over', async () => {
      const { engine, markerName } = await leftBehind({ host: 'ci-1', pid: 150 });
      const held = await acquireProjectLock(engine, request, processOn('ci-1', 200));
      expect(held.tookOver).toMatchObject({ why: 'process-gone', holder: { pid: 100 } });
      expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('200');
      expect(engine.locks.has(markerName)).toBe(false);
      expect(lockNames(engine)).toEqual([LOCK]);
    });

    it('from another machine stands until it lapses, a few minutes after it was made; then it is replaced', async () => {
      const { engine, markerName } = await leftBehind({ host: 'laptop', pid: 150 });
      const error = await acquireProjectLock(engine, request, processOn('ci-1', 200)).catch((e: unknown) => e);
      expect((error as Error).message).toContain('is being locked by another firedrill process right now');
      expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('100');
      expect(engine.locks.has(markerName)).toBe(true);

      const held = await acquireProjectLock(engine, request, processOn('ci-1', 200, { nowMs: T0 + 3 * 60_000 }));
      expect(held.tookOver?.why).toBe('process-gone');
      expect(lockNames(engine)).toEqual([LOCK]);
    });

    it('of a process still alive is left alone: that process is at work', async () => {
      const { engine, markerName } = await leftBehind({ host: 'ci-1', pid: 150 });
      const error = await acquireProjectLock(engine, request, processOn('ci-1', 200, { alive: [150] })).catch((e: unknown) => e);
      expect((error as Error).message).toContain('is being locked by another firedrill process right now');
      expect(engine.locks.has(markerName)).toBe(true);
      expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('100');
    });
  });

  it('refuses to treat a container of that name that is not a lock as one', async () => {
    const engine = new FakeEngine([]);
    engine.locks.set(LOCK, { maintainer: 'someone' });
    await expect(acquireProjectLock(engine, request, processOn('ci-1', 100))).rejects.toThrow(
      'a container named firedrill-lock-shop exists on unix:///var/run/docker.sock but is not a firedrill lock',
    );
    expect(engine.locks.get(LOCK)).toEqual({ maintainer: 'someone' });
  });

  it('refuseIfProjectBusy passes a free or stale lock and throws for a live one', async () => {
    const engine = new FakeEngine([]);
    await expect(refuseIfProjectBusy(engine, PROJECT, processOn('ci-1', 200))).resolves.toBeUndefined();
    await acquireProjectLock(engine, request, processOn('ci-1', 100));
    await expect(refuseIfProjectBusy(engine, PROJECT, processOn('ci-1', 200, { alive: [100] }))).rejects.toThrow(
      'compose project shop is busy',
    );
    await expect(refuseIfProjectBusy(engine, PROJECT, processOn('ci-1', 200))).resolves.toBeUndefined();
    expect(engine.locks.get(LOCK)?.[LOCK_LABELS.pid]).toBe('100'); // looking takes nothing over
  });

  it('lasts the time limit, a revert budget per fault, the restore deadline, the steady state and slack', () => {
    const playbook = playbookSchema.parse({
      name: 'x',
      title: 'x',
      summary: 'x',
      topology: { project: PROJECT },
      steadyState: { probes: [{ kind: 'tcp', port: 80 }], within: '1m' },
      timeLimit: '5m',
      steps: [
        { name: 'a', inject: { kind: 'service', service: 'app', mode: 'kill' } },
        { name: 'b', inject: { kind: 'service', service: 'db', mode: 'pause' } },
        { name: 'c', pause: '1s' },
      ],
    });
    const minutes = (m: number) => m * 60_000;
    // 5m limit + 2 × 1m reverts + max(2m, 5m) restore + (1m + 30s) steady state + 5m slack
    expect(drillLockTtlMs(playbook)).toBe(minutes(5) + minutes(2) + minutes(5) + minutes(1.5) + minutes(5));
  });
});
