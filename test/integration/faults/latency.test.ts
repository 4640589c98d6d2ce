import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Engine, HelperSpec } from '../../../src/engine/ports.js';
import { EnvironmentError } from '../../../src/errors.js';
import { latency } from '../../../src/faults/latency.js';
import { qdiscHandle } from '../../../src/faults/traffic-control.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/run/plan.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { helperRecord, inNetns, iptablesListing } from './netns-probes.js';

const projects = useFixtureProjects('netfaults', 1);

/** The engine, with every helper it runs written down. */
function recordingHelpers(engine: Engine): { engine: Engine; helpers: HelperSpec[] } {
  const helpers: HelperSpec[] = [];
  const recording = new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'runHelper') {
        return (spec: HelperSpec, opts?: Parameters<Engine['runHelper']>[1]) => {
          helpers.push(spec);
          return target.runHelper(spec, opts);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { engine: recording, helpers };
}

const tcShow = (engine: Engine, id: string) => inNetns(engine, id, ['tc', 'qdisc', 'show']);

describe('latency against a real compose project (this kernel has no netem)', () => {
  const main = () => projects()[0]!;

  it('planning fails with a clear EnvironmentError before anything is touched', async () => {
    const appB = await main().container('app-b');
    const before = { tc: await tcShow(main().engine, appB.id), iptables: await iptablesListing(main().engine, appB.id) };
    const ref = `slow-${randomBytes(4).toString('hex')}`;
    const playbook = playbookSchema.parse({
      name: 'slow-b',
      title: 'Slow app-b',
      summary: 'app-b answers 200 ms late.',
      topology: { project: main().project },
      steps: [{ name: 'slow down app-b', inject: { kind: 'latency', id: ref, service: 'app-b', delay: '200ms', jitter: '20ms' } }],
    });
    const { engine, helpers } = recordingHelpers(main().engine);

    const planning = planDrill({ playbook, file: 'inline', sha256: '0'.repeat(64), project: main().project }, engine);

    await expect(planning).rejects.toBeInstanceOf(EnvironmentError);
    await expect(planning).rejects.toThrow(
      `the kernel of engine ${engine.endpoint} has no netem (sch_netem); latency faults need it — ` +
        "load it with modprobe sch_netem on the engine's host, or use packet-loss",
    );
    // One throw-away helper, in a namespace of its own; none joined a target, none is left.
    expect(helpers).toEqual([expect.objectContaining({ isolated: true, command: ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'] })]);
    expect(helpers[0]!.networkOf).toBeUndefined();
    const left = await execa('docker', ['ps', '-a', '-q', '--filter', `label=firedrill.fault=${ref}`]);
    expect(left.stdout).toBe('');
    expect(await tcShow(main().engine, appB.id)).toBe(before.tc);
    expect(await iptablesListing(main().engine, appB.id)).toBe(before.iptables);
  });

  it('revert deletes a root qdisc carrying our handle, leaves any other, and checks with tc', async () => {
    const { engine } = main();
    const appB = await main().container('app-b');
    const before = await tcShow(engine, appB.id);
    expect(before).toMatch(/^qdisc noqueue 0: dev eth0 root/m);
    const record = helperRecord(latency, { kind: 'latency', service: 'app-b', delay: '100ms' }, await main().discover(), 'slow');
    const handle = qdiscHandle('slow');
    const pinned = { ...record, targets: record.targets.map((t) => ({ ...t, before: { handle, interfaces: [{ device: 'eth0', network: 'mesh' }] } })) };
    // netem is not to be had here; any qdisc under our handle stands in for it.
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
