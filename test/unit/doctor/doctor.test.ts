import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unreachableError } from '../../../src/engine/docker-errors.js';
import type { EngineHostFacts } from '../../../src/engine/ports.js';
import { runDoctor, type DoctorInput } from '../../../src/doctor/doctor.js';
import type { DoctorEngine } from '../../../src/doctor/engine-check.js';
import { CHECK_IDS, type CheckStatus, type DoctorReport } from '../../../src/doctor/findings.js';
import { FakeEngine } from '../../support/fake-engine.js';

/** A fake engine that also answers /info, and runs helpers as a kernel without netem would. */
function engine(
  facts: EngineHostFacts = { cgroupVersion: '2', cgroupDriver: 'systemd', kernelVersion: '6.8.0' },
): FakeEngine & DoctorEngine {
  const fake = new FakeEngine([], { endpoint: 'unix:///run/user/1000/docker.sock' });
  fake.onHelper((spec) => {
    if (spec.command[0] === 'tc') return { exitCode: 2, stdout: '', stderr: 'Error: Specified qdisc kind is unknown.\n' };
    return { exitCode: 0, stdout: 'nft works\nlegacy absent\nplain works iptables v1.8.10 (nf_tables)\n', stderr: '' };
  });
  return Object.assign(fake, { hostFacts: async () => facts });
}

function input(overrides: Partial<DoctorInput> = {}): DoctorInput {
  return {
    env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' },
    nodeVersion: '24.1.0',
    runsDir: join(mkdtempSync(join(tmpdir(), 'firedrill-doctor-')), 'runs'),
    connect: () => engine(),
    findCompose: async () => ({ v2: { argv: ['docker', 'compose'], version: '2.29.1', flavour: 'v2' } }),
    ...overrides,
  };
}

function statuses(report: DoctorReport): Record<string, CheckStatus> {
  return Object.fromEntries(report.findings.map((f) => [f.id, f.status]));
}

describe('firedrill doctor: the verdict from the checks', () => {
  it('a healthy machine is ready with a warning for netem, every check reported once, in order', async () => {
    const report = await runDoctor(input());
    expect(report.findings.map((f) => f.id)).toEqual([...CHECK_IDS]);
    expect(statuses(report)).toEqual({
      node: 'ok',
      engine: 'ok',
      compose: 'ok',
      'helper-image': 'ok',
      iptables: 'ok',
      netem: 'warn',
      cgroup: 'ok',
      'runs-dir': 'ok',
    });
    expect(report.ready).toBe(true);
    expect(report.findings.find((f) => f.id === 'engine')).toMatchObject({
      code: 'engine.answers',
      args: { endpoint: 'unix:///run/user/1000/docker.sock', chosenBy: 'DOCKER_HOST', version: '20.10.24', apiVersion: '1.41' },
    });
  });

  it('the helper checks run in the helper image by its id, with no network and NET_ADMIN only', async () => {
    const fake = engine();
    await runDoctor(input({ connect: () => fake }));
    const helpers = fake
      .callsTo('runHelper')
      .map(([spec]) => spec as { image: string; isolated?: boolean; capAdd?: string[]; networkOf?: string });
    expect(helpers).toHaveLength(2);
    const id = await fake.imageId('firedrill-base:bookworm');
    for (const spec of helpers) expect(spec).toMatchObject({ image: id, isolated: true, capAdd: ['NET_ADMIN'] });
  });

  it('without an engine: the engine check fails, what needs the engine is not checked, the rest is still checked', async () => {
    const connect = () => {
      const fake = engine();
      fake.failNext(
        'ping',
        unreachableError('unix:///nowhere.sock', Object.assign(new Error('connect ENOENT /nowhere.sock'), { code: 'ENOENT' })),
      );
      return fake;
    };
    const report = await runDoctor(input({ connect }));
    expect(report.ready).toBe(false);
    expect(statuses(report)).toEqual({
      node: 'ok',
      engine: 'fail',
      compose: 'ok',
      'helper-image': 'not-checked',
      iptables: 'not-checked',
      netem: 'not-checked',
      cgroup: 'not-checked',
      'runs-dir': 'ok',
    });
    expect(report.findings.find((f) => f.id === 'engine')).toMatchObject({
      code: 'engine.unreachable',
      args: { cause: 'connect ENOENT /nowhere.sock' },
    });
  });

  it('an engine client that cannot even be made is a failed engine check, not a crash', async () => {
    const report = await runDoctor(
      input({
        connect: () => {
          throw new Error('unsupported Docker host "ftp://x"');
        },
      }),
    );
    expect(report.findings.find((f) => f.id === 'engine')).toMatchObject({
      status: 'fail',
      code: 'check.failed',
      args: { cause: 'unsupported Docker host "ftp://x"' },
    });
    expect(report.ready).toBe(false);
  });

  it('without the helper image: that check fails and names it, iptables and netem are not checked, cgroups still are', async () => {
    const report = await runDoctor(
      input({ env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock', FIREDRILL_HELPER_IMAGE: ' tools:missing ' } }),
    );
    expect(report.ready).toBe(false);
    expect(statuses(report)).toMatchObject({ 'helper-image': 'fail', iptables: 'not-checked', netem: 'not-checked', cgroup: 'ok' });
    expect(report.findings.find((f) => f.id === 'helper-image')).toMatchObject({
      args: { image: 'tools:missing', chosenBy: 'FIREDRILL_HELPER_IMAGE' },
    });
  });

  it('an engine too old for helpers is a failure, and nothing is asked of it after', async () => {
    const fake = engine();
    fake.ping = async () => ({ version: '17.03.2-ce', apiVersion: '1.27' });
    const report = await runDoctor(input({ connect: () => fake }));
    expect(report.findings.find((f) => f.id === 'engine')).toMatchObject({
      status: 'fail',
      code: 'engine.api-too-old',
      args: { minimum: '1.30' },
    });
    expect(fake.callsTo('runHelper')).toEqual([]);
  });

  it('an unsupported Node.js, or no compose at all: the first fails, the second only warns', async () => {
    const report = await runDoctor(input({ nodeVersion: '22.12.0', findCompose: async () => ({}) }));
    expect(statuses(report)).toMatchObject({ node: 'fail', compose: 'warn' });
    expect(report.ready).toBe(false);
    expect(statuses(await runDoctor(input({ findCompose: async () => ({}) })))).toMatchObject({ compose: 'warn' });
    expect((await runDoctor(input({ findCompose: async () => ({}) }))).ready).toBe(true);
  });

  it('an engine that never answers cannot hold doctor: the check times out and the others are not checked', async () => {
    const fake = engine();
    fake.before('ping', () => new Promise(() => undefined));
    const report = await runDoctor(input({ connect: () => fake, timeoutMs: 50 }));
    expect(report.findings.find((f) => f.id === 'engine')).toMatchObject({
      status: 'fail',
      code: 'check.timed-out',
      args: { seconds: 0.05 },
    });
    expect(statuses(report)).toMatchObject({ 'helper-image': 'not-checked', cgroup: 'not-checked' });
  });

  it('a helper that hangs is cut off: its signal is aborted and the check says it timed out', async () => {
    const fake = engine();
    let signal: AbortSignal | undefined;
    fake.runHelper = (_spec, opts) => {
      signal = opts?.signal;
      return new Promise(() => undefined);
    };
    const report = await runDoctor(input({ connect: () => fake, timeoutMs: 50 }));
    expect(statuses(report)).toMatchObject({ iptables: 'fail', netem: 'fail' });
    expect(report.findings.find((f) => f.id === 'iptables')?.code).toBe('check.timed-out');
    expect(signal?.aborted).toBe(true);
  });

  it('an engine that does not say its cgroup version is a warning', async () => {
    const report = await runDoctor(input({ connect: () => engine({}) }));
    expect(report.findings.find((f) => f.id === 'cgroup')).toMatchObject({
      status: 'warn',
      code: 'cgroup.unknown',
      args: { apiVersion: '1.41' },
    });
    expect(report.ready).toBe(true);
  });

  it('the runs directory is probed and left as it was', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'firedrill-doctor-'));
    const report = await runDoctor(input({ runsDir: join(parent, 'runs') }));
    expect(report.findings.find((f) => f.id === 'runs-dir')).toMatchObject({ status: 'ok', args: { exists: false, createdUnder: parent } });
    expect(readdirSync(parent)).toEqual([]);
  });
});
