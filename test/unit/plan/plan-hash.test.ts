import { describe, expect, it } from 'vitest';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { runDrill } from '../../../src/run/drill-runner.js';
import { EventBus } from '../../../src/run/event-bus.js';
import type { AnyDrillEvent } from '../../../src/journal/events.js';
import { canonicalJson, planHash, resolvedFaults, sameHash } from '../../../src/plan/plan-hash.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeEngine, type FakeContainerSeed } from '../../support/fake-engine.js';

const PROJECT = 'shop';
const SEEDS: FakeContainerSeed[] = [
  { service: 'app', labels: { 'firedrill.region': 'a' } },
  { service: 'app', labels: { 'firedrill.region': 'a' } },
  { service: 'db', labels: { 'firedrill.region': 'b' } },
];

function playbook(overrides: Partial<PlaybookInput> = {}) {
  return playbookSchema.parse({
    name: 'app-crash',
    title: 'App crash',
    summary: 'The app crashes.',
    topology: { project: PROJECT },
    steps: [
      { name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } },
      { name: 'freeze region b', inject: { kind: 'region-loss', id: 'b-down', region: 'b', mode: 'pause' } },
    ],
    ...overrides,
  });
}

async function planOn(engine: FakeEngine, opts: { sha256?: string; overrides?: Partial<PlaybookInput> } = {}) {
  const input = { playbook: playbook(opts.overrides), file: 'drill.yaml', sha256: opts.sha256 ?? 'a'.repeat(64), project: PROJECT };
  return planDrill(input, engine);
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, é: null })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":null}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});

describe('planHash', () => {
  it('is the same for two plans of an unchanged project, and is hex SHA-256', async () => {
    const engine = new FakeEngine(SEEDS, { project: PROJECT });
    const first = planHash(await planOn(engine));
    const second = planHash(await planOn(engine));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
  });

  it('is the same whatever order the engine lists the containers in', async () => {
    const forward = planHash(await planOn(new FakeEngine(SEEDS, { project: PROJECT })));
    // The same containers (names and ids), listed db first.
    const reversed = planHash(await planOn(new FakeEngine([...SEEDS].reverse(), { project: PROJECT })));
    expect(reversed).toBe(forward);
  });

  it('changes when a target container is recreated (new id), but not when a container no fault targets is', async () => {
    const before = planHash(await planOn(new FakeEngine(SEEDS, { project: PROJECT })));
    const recreatedTarget = SEEDS.map((seed, i) => (i === 0 ? { ...seed, id: 'f'.repeat(64) } : seed));
    expect(planHash(await planOn(new FakeEngine(recreatedTarget, { project: PROJECT })))).not.toBe(before);

    const withBystander = [...SEEDS, { service: 'client' }];
    const recreatedBystander = [...SEEDS, { service: 'client', id: 'e'.repeat(64) }];
    expect(planHash(await planOn(new FakeEngine(withBystander, { project: PROJECT })))).toBe(
      planHash(await planOn(new FakeEngine(recreatedBystander, { project: PROJECT }))),
    );
  });

  it('changes with the playbook bytes and with what a fault would do', async () => {
    const engine = new FakeEngine(SEEDS, { project: PROJECT });
    const base = planHash(await planOn(engine));
    expect(planHash(await planOn(engine, { sha256: 'b'.repeat(64) }))).not.toBe(base);
    const stopInstead = {
      steps: [{ name: 'crash the app', inject: { kind: 'service' as const, id: 'crash', service: 'app', mode: 'stop' as const } }],
    };
    const killOnly = {
      steps: [{ name: 'crash the app', inject: { kind: 'service' as const, id: 'crash', service: 'app', mode: 'kill' as const } }],
    };
    expect(planHash(await planOn(engine, { overrides: stopInstead }))).not.toBe(planHash(await planOn(engine, { overrides: killOnly })));
  });

  it('is the same while what preflight measured changes (free space, live PIDs): that is shown, not hashed', async () => {
    /** A project whose store has `usedKiB` of its /data used and whose worker runs sleep under `pid`. */
    const planWith = async (usedKiB: number, pid: number) => {
      const engine = new FakeEngine([{ service: 'store' }, { service: 'worker' }], { project: PROJECT });
      engine.onExec(() => ({
        exitCode: 0,
        stdout: `tool fallocate\ndf tmpfs 65536 ${usedKiB} ${65_536 - usedKiB} 1% /data\ntype tmpfs\n`,
        stderr: '',
      }));
      engine.onHelper(() => ({ exitCode: 0, stdout: `${pid} sleep\n`, stderr: '' }));
      const steps = [
        { name: 'fill the disk', inject: { kind: 'disk-fill' as const, id: 'full', service: 'store', path: '/data', percent: 90 } },
        { name: 'kill the worker', inject: { kind: 'process-kill' as const, id: 'pk', service: 'worker', process: 'sleep' } },
      ];
      const plan = await planOn(engine, { overrides: { steps } });
      return { hash: planHash(plan), measured: resolvedFaults(plan).flatMap((fault) => fault.actions.map((action) => action.measured)) };
    };
    const quiet = await planWith(1_000, 7);
    const busy = await planWith(20_000, 4321);
    expect(busy.hash).toBe(quiet.hash);
    expect(busy.measured).not.toEqual(quiet.measured);
    expect(quiet.measured).toEqual([expect.stringMatching(/^its tmpfs filesystem at \/data is 1\.5% used/), 'matching: sleep pid 7']);
  });

  it('accepts the hash as printed, with a sha256: prefix or in capitals', () => {
    const hash = 'ab'.repeat(32);
    expect(sameHash(hash, hash)).toBe(true);
    expect(sameHash(`sha256:${hash.toUpperCase()}`, hash)).toBe(true);
    expect(sameHash(hash.slice(0, 12), hash)).toBe(false);
  });

  it('is what the run records in drill.started', async () => {
    const engine = new FakeEngine(SEEDS, { project: PROJECT });
    const plan = await planOn(engine, {
      overrides: { steps: [{ name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } }] },
    });
    const clock = new FakeClock();
    const bus = new EventBus(clock);
    const events: AnyDrillEvent[] = [];
    bus.subscribe((event) => events.push(event));
    const lock = { name: 'firedrill-lock-shop', expiresAt: '2026-01-01T00:10:00.000Z' };
    await runDrill({ plan, engine, clock, bus, runId: 'run-1', firedrillVersion: '0.0.0', signal: new AbortController().signal, lock });
    const started = events.find((event) => event.type === 'drill.started');
    expect(started?.type === 'drill.started' && started.data.planHash).toBe(planHash(plan));
    expect(started?.type === 'drill.started' && started.data.lock).toEqual(lock);
  });
});
