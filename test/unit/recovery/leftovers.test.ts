import { describe, expect, it } from 'vitest';
import type { OwnContainer, OwnContainers } from '../../../src/engine/ports.js';
import { NEVER_STARTED_AFTER_MS, sweepLeftoverHelpers, sweepStaleLocks } from '../../../src/recovery/leftovers.js';
import { holderLabels, type LockEnvironment } from '../../../src/lock/lock-holder.js';

const NOW = Date.parse('2026-11-20T09:00:00Z');
const here = { host: 'ci-1', bootId: 'boot-1', pidNamespace: 'pid:[1]' };
const env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace' | 'isAlive'> = {
  now: () => new Date(NOW),
  ...here,
  isAlive: (pid) => pid === 100,
};

/** Own containers as the engine would list them, filtered by label like the engine does. */
class Leftovers implements OwnContainers {
  removed: string[] = [];
  /** Containers the engine refuses to remove, with its answer. */
  readonly refuse = new Map<string, Error>();
  constructor(
    readonly endpoint: string,
    private readonly containers: OwnContainer[],
  ) {}
  async listOwnContainers(label: string): Promise<OwnContainer[]> {
    const [key, value] = label.split('=');
    return this.containers.filter(
      (c) => !this.removed.includes(c.id) && key !== undefined && key in c.labels && (value === undefined || c.labels[key] === value),
    );
  }
  async removeOwnContainer(id: string): Promise<void> {
    const refusal = this.refuse.get(id);
    if (refusal) throw refusal;
    this.removed.push(id);
  }
}

function helper(
  id: string,
  opts: { joins?: string[]; project?: string; pid?: number; host?: string; state?: string; ageMs?: number },
): OwnContainer {
  const maker: Record<string, string> =
    opts.pid === undefined
      ? {}
      : {
          'firedrill.helper.host': opts.host ?? here.host,
          'firedrill.helper.boot-id': here.bootId,
          'firedrill.helper.pid-namespace': here.pidNamespace,
          'firedrill.helper.pid': String(opts.pid),
        };
  return {
    id: id.padEnd(64, '0'),
    name: `firedrill-helper-${id}`,
    state: opts.state ?? 'created',
    createdAt: new Date(NOW - (opts.ageMs ?? 1000)).toISOString(),
    labels: {
      'firedrill.helper': 'true',
      'firedrill.fault': 'cut',
      ...(opts.project ? { 'firedrill.project': opts.project } : {}),
      ...maker,
    },
    joins: opts.joins ?? [],
  };
}

const ledgerDb = 'd'.repeat(64);
const otherApp = 'e'.repeat(64);

describe('sweepLeftoverHelpers', () => {
  it('removes never-started helpers of the project whose maker is gone or cannot be at work any more, and nothing else', async () => {
    const engine = new Leftovers('unix:///x.sock', [
      helper('a1', { project: 'ledger', joins: [ledgerDb], pid: 200 }), // maker gone: removed
      helper('a2', { project: 'ledger', joins: ['f'.repeat(64)], pid: 201 }), // target gone, labelled: removed
      helper('a3', { joins: [ledgerDb], ageMs: NEVER_STARTED_AFTER_MS + 1 }), // an older version's, by its target: removed
      helper('b1', { project: 'ledger', joins: [ledgerDb], pid: 100 }), // maker alive: kept
      helper('b2', { project: 'ledger', joins: [ledgerDb], pid: 200, state: 'running' }), // at work: kept
      helper('b3', { joins: [ledgerDb], ageMs: 2000 }), // an older version's, too young to judge: kept
      helper('b4', { project: 'ledger', joins: [ledgerDb], pid: 200, host: 'ci-2', ageMs: 5000 }), // another host's, young: kept
      helper('c1', { project: 'ledger-staging', joins: [otherApp], pid: 200 }), // another project: untouched
      helper('c2', { joins: [otherApp], ageMs: NEVER_STARTED_AFTER_MS * 10 }), // an older version's beside another project: untouched
    ]);
    const sweep = await sweepLeftoverHelpers(engine, 'ledger', new Set([ledgerDb]), new Map([[ledgerDb, 'ledger-db-1']]), env);
    expect(sweep.removed.map((c) => c.name)).toEqual(['firedrill-helper-a1', 'firedrill-helper-a2', 'firedrill-helper-a3']);
    expect(engine.removed).toEqual(sweep.removed.map((c) => c.id));
    expect(sweep.removed[0]!.what).toBe(
      `helper container firedrill-helper-a1 beside ledger-db-1 (never started, made by pid 200 on ci-1, created ${new Date(NOW - 1000).toISOString()})`,
    );
    expect(sweep.kept.map((c) => [c.name, c.why])).toEqual([
      ['firedrill-helper-b1', 'its maker, pid 100, is still running'],
      ['firedrill-helper-b2', expect.stringContaining('it is running')],
      ['firedrill-helper-b3', expect.stringContaining('its maker cannot be checked from here and it is only 2s old')],
      ['firedrill-helper-b4', expect.stringContaining('only 5s old')],
    ]);
  });
  it('a helper the engine refuses to remove is reported with the engine’s answer, and the sweep goes on', async () => {
    const busy = helper('a1', { project: 'ledger', joins: [ledgerDb], pid: 200 });
    const engine = new Leftovers('tcp://10.0.0.9:2376', [busy, helper('a2', { project: 'ledger', joins: [ledgerDb], pid: 201 })]);
    engine.refuse.set(
      busy.id,
      new Error(
        'remove container firedrill-helper-a1: (HTTP code 500) server error - unlinkat /var/lib/docker/containers/a1: device or resource busy',
      ),
    );
    const sweep = await sweepLeftoverHelpers(engine, 'ledger', new Set([ledgerDb]), new Map(), env);
    expect(sweep.removed.map((c) => c.name)).toEqual(['firedrill-helper-a2']);
    expect(sweep.failed).toEqual([
      expect.objectContaining({ id: busy.id, name: 'firedrill-helper-a1', error: expect.stringContaining('device or resource busy') }),
    ]);
  });
});

describe('sweepStaleLocks', () => {
  const holder = (id: string, pid: number, extra: Record<string, string> = {}) => ({
    id,
    purpose: 'run',
    playbook: 'db-failover',
    ...here,
    pid,
    startedAt: '2026-11-20T08:00:00Z',
    expiresAt: '2026-11-20T10:00:00Z',
    ...extra,
  });
  const lock = (name: string, labels: Record<string, string>): OwnContainer => ({
    id: name.padEnd(64, 'f'),
    name,
    state: 'created',
    createdAt: '2026-11-20T08:00:00Z',
    labels,
    joins: [],
  });

  it('removes a dead holder’s lock and takeover markers, never a live one’s nor our own, nor another project’s', async () => {
    const engine = new Leftovers('unix:///x.sock', [
      lock('firedrill-lock-ledger', holderLabels('ledger', holder('h1', 300))),
      lock('firedrill-lock-ledger-takeover-h0', { ...holderLabels('ledger', holder('h2', 301)), 'firedrill.lock.takeover-of': 'h0' }),
      lock('firedrill-lock-ledger-takeover-h9', { ...holderLabels('ledger', holder('h3', 100)), 'firedrill.lock.takeover-of': 'h9' }),
      lock('firedrill-lock-ledger-2', holderLabels('ledger-2', holder('h4', 302))),
    ]);
    const ours = await sweepStaleLocks(engine, 'ledger', env, 'firedrill-lock-ledger');
    expect(ours.removed.map((c) => c.name)).toEqual(['firedrill-lock-ledger-takeover-h0']);
    expect(ours.kept.map((c) => c.name)).toEqual(['firedrill-lock-ledger-takeover-h9']);

    const none = await sweepStaleLocks(engine, 'ledger', env, undefined);
    expect(none.removed.map((c) => c.name)).toEqual(['firedrill-lock-ledger']);
    expect(none.removed[0]!.what).toContain('its process is gone');
    expect(engine.removed).not.toContain('firedrill-lock-ledger-2'.padEnd(64, 'f'));
  });

  it('a stale lock the engine refuses to remove is reported, not thrown', async () => {
    const stale = lock('firedrill-lock-ledger', holderLabels('ledger', holder('h1', 300)));
    const engine = new Leftovers('unix:///x.sock', [stale]);
    engine.refuse.set(stale.id, new Error('(HTTP code 500) server error - driver failed to remove root filesystem'));
    const sweep = await sweepStaleLocks(engine, 'ledger', env, undefined);
    expect(sweep.removed).toEqual([]);
    expect(sweep.failed.map((c) => [c.name, c.error])).toEqual([
      ['firedrill-lock-ledger', '(HTTP code 500) server error - driver failed to remove root filesystem'],
    ]);
  });
});
