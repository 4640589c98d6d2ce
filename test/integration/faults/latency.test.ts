import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/ports.js';
import { EnvironmentError } from '../../../src/errors.js';
import { latency } from '../../../src/faults/latency.js';
import { qdiscHandle } from '../../../src/faults/mechanisms/traffic-control.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { BASE_IMAGE } from '../require-docker.js';
import { helperRecord, inNetns, iptablesListing, recordingHelpers } from './netns-probes.js';

const projects = useFixtureProjects('netfaults', 1);

/**
 * Whether the engine's kernel has netem, found out independently of the code under test: add a
 * netem qdisc in a throw-away container with no network. Anything but "yes" or "the kernel
 * does not know netem" stops the file.
 */
async function kernelHasNetem(): Promise<boolean> {
  const probe = await execa(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '--cap-add',
      'NET_ADMIN',
      BASE_IMAGE,
      'tc',
      'qdisc',
      'add',
      'dev',
      'lo',
      'root',
      'netem',
      'delay',
      '1ms',
    ],
    {
      reject: false,
    },
  );
  if (probe.exitCode === 0) return true;
  if (/qdisc kind is unknown|unknown qdisc|no such file or directory/i.test(probe.stderr)) return false;
  throw new Error(`could not find out whether this kernel has netem: ${probe.stderr || probe.stdout}`);
}

const NETEM = await kernelHasNetem();

const tcShow = (engine: Engine, id: string) => inNetns(engine, id, ['tc', 'qdisc', 'show']);

function slowPlaybook(project: string, ref: string) {
  return playbookSchema.parse({
    name: 'slow-b',
    title: 'Slow app-b',
    summary: 'app-b answers 200 ms late.',
    topology: { project },
    steps: [{ name: 'slow down app-b', inject: { kind: 'latency', id: ref, service: 'app-b', delay: '200ms', jitter: '20ms' } }],
  });
}

describe(`latency against a real compose project (this kernel ${NETEM ? 'has' : 'has no'} netem)`, () => {
  const main = () => projects()[0]!;

  it.runIf(!NETEM)('without netem: planning fails with a clear EnvironmentError before anything is touched', async () => {
    const appB = await main().container('app-b');
    const before = { tc: await tcShow(main().engine, appB.id), iptables: await iptablesListing(main().engine, appB.id) };
    const ref = `slow-${randomBytes(4).toString('hex')}`;
    const { engine, helpers } = recordingHelpers(main().engine);

    const planning = planDrill(
      { playbook: slowPlaybook(main().project, ref), file: 'inline', sha256: '0'.repeat(64), project: main().project },
      engine,
    );

    await expect(planning).rejects.toBeInstanceOf(EnvironmentError);
    await expect(planning).rejects.toThrow(
      `the kernel of engine ${engine.endpoint} has no netem (sch_netem); latency faults need it — ` +
        "load it with modprobe sch_netem on the engine's host, or use packet-loss",
    );
    // One throw-away helper, in a namespace of its own; none joined a target, none is left.
    expect(helpers).toEqual([
      expect.objectContaining({ isolated: true, command: ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'] }),
    ]);
    expect(helpers[0]!.networkOf).toBeUndefined();
    const left = await execa('docker', ['ps', '-a', '-q', '--filter', `label=firedrill.fault=${ref}`]);
    expect(left.stdout).toBe('');
    expect(await tcShow(main().engine, appB.id)).toBe(before.tc);
    expect(await iptablesListing(main().engine, appB.id)).toBe(before.iptables);
  });

  it.runIf(NETEM)('with netem: planning pins the interfaces, inject puts netem under our handle, revert takes it away again', async () => {
    const { engine } = main();
    const appB = await main().container('app-b');
    const before = await tcShow(engine, appB.id);
    const ref = `slow-${randomBytes(4).toString('hex')}`;
    const handle = qdiscHandle(ref);
    const plan = await planDrill(
      { playbook: slowPlaybook(main().project, ref), file: 'inline', sha256: '0'.repeat(64), project: main().project },
      engine,
    );
    const planned = plan.faults.get(0)!;
    const record = { ...planned, spec: latency.schema.parse(planned.spec) };
    const devices = ((record.targets[0]!.before?.['interfaces'] ?? []) as { device: string }[]).map((i) => i.device);
    expect(devices).toHaveLength(appB.networks.length);

    await latency.inject(record, faultContext(engine));

    const during = await tcShow(engine, appB.id);
    for (const device of devices) expect(during).toMatch(new RegExp(`^qdisc netem ${handle} dev ${device} root .*delay 200ms +20ms`, 'm'));

    const result = await latency.revert(record, faultContext(engine));

    expect(result).toEqual({
      verified: true,
      done: [`deleted the netem qdisc ${handle} of ${devices.join(', ')} in ${appB.name}; tc qdisc show there shows none now`],
      problems: [],
      manual: [],
    });
    expect(await tcShow(engine, appB.id)).toBe(before);
  });

  it('revert deletes a root qdisc carrying our handle, leaves any other, and checks with tc', async () => {
    const { engine } = main();
    const appB = await main().container('app-b');
    const before = await tcShow(engine, appB.id);
    expect(before).toMatch(/^qdisc noqueue 0: dev eth0 root/m);
    const record = helperRecord(latency, { kind: 'latency', service: 'app-b', delay: '100ms' }, await main().discover(), 'slow');
    const handle = qdiscHandle('slow');
    const pinned = {
      ...record,
      targets: record.targets.map((t) => ({ ...t, before: { handle, interfaces: [{ device: 'eth0', network: 'mesh' }] } })),
    };
    // A qdisc kind every kernel has stands in for netem under our handle.
    await inNetns(engine, appB.id, ['tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'handle', handle, 'pfifo']);
    expect(await tcShow(engine, appB.id)).toContain(`qdisc pfifo ${handle} dev eth0 root`);

    const result = await latency.revert(pinned, faultContext(engine));

    expect(result).toEqual({
      verified: true,
      done: [`deleted the netem qdisc ${handle} of eth0 in ${appB.name}; tc qdisc show there shows none now`],
      problems: [],
      manual: [],
    });
    expect(await tcShow(engine, appB.id)).toBe(before);

    await inNetns(engine, appB.id, ['tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'handle', '1:', 'pfifo']);
    try {
      const other = await latency.revert(pinned, faultContext(engine));
      expect(other.done).toEqual([`${appB.name} had no root qdisc with handle ${handle}; tc qdisc show there shows none now`]);
      expect(await tcShow(engine, appB.id)).toContain('qdisc pfifo 1: dev eth0 root');
    } finally {
      await inNetns(engine, appB.id, ['tc', 'qdisc', 'del', 'dev', 'eth0', 'root', 'handle', '1:']);
    }
    expect(await tcShow(engine, appB.id)).toBe(before);
  });
});
