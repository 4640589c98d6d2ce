import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { rulesOf } from '../../../src/faults/mechanisms/firewall.js';
import { networkPartition } from '../../../src/faults/network-partition.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { BASE_IMAGE } from '../require-docker.js';
import { helperRecord, inNetns, iptablesListing, reaches, recordingHelpers } from './netns-probes.js';

async function imageIdOf(image: string): Promise<string> {
  return (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim();
}

/** An image made from the base image by running `command` in it (no build, no registry); its id. */
async function committedImage(command: string[]): Promise<string> {
  const created = (await execa('docker', ['create', '--label', 'firedrill.test=committed-image', BASE_IMAGE, ...command])).stdout.trim();
  try {
    await execa('docker', ['start', '--attach', created]);
    return (await execa('docker', ['commit', created])).stdout.trim();
  } finally {
    await execa('docker', ['rm', '-f', created], { reject: false });
  }
}

const projects = useFixtureProjects('netfaults', 1);

describe('network-partition against a real compose project', () => {
  const main = () => projects()[0]!;

  it('cuts [app-a, store-a] off app-b both ways, leaves peer-c reachable, and revert restores every table exactly', async () => {
    const { engine } = main();
    const [appA, storeA, appB, peerC] = await Promise.all(['app-a', 'store-a', 'app-b', 'peer-c'].map((s) => main().container(s)));
    // A rule of the target's own, which must survive inject and revert where it is.
    await inNetns(engine, appA!.id, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '9999', '-j', 'ACCEPT']);
    const before = { appA: await iptablesListing(engine, appA!.id), appB: await iptablesListing(engine, appB!.id) };
    expect(before.appA).toContain('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(true);

    const record = helperRecord(
      networkPartition,
      { kind: 'network-partition', between: [['app-a', 'store-a'], ['app-b']] },
      await main().discover(),
      'cut',
    );
    expect(record.targets.map((t) => t.service)).toEqual(['app-a', 'app-b']);
    await networkPartition.inject(record, faultContext(engine));

    const during = await iptablesListing(engine, appA!.id);
    const ipB = appB!.networks[0]!.ipv4!;
    expect(during).toContain(`-A INPUT -s ${ipB}/32 -m comment --comment "firedrill:cut" -j DROP`);
    expect(during).toContain(`-A OUTPUT -d ${ipB}/32 -m comment --comment "firedrill:cut" -j DROP`);
    expect(during).toContain('-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT');
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(false);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(false);
    expect(await reaches(engine, appA!.id, 'peer-c')).toBe(true);
    expect(await reaches(engine, appB!.id, 'peer-c')).toBe(true);
    expect(await reaches(engine, storeA!.id, 'app-a')).toBe(true);
    expect(await reaches(engine, peerC!.id, 'app-b')).toBe(true);

    const result = await networkPartition.revert(record, faultContext(engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([
      `deleted 2 rules marked firedrill:cut in ${appA!.name}; iptables -S there shows none now`,
      `deleted 2 rules marked firedrill:cut in ${appB!.name}; iptables -S there shows none now`,
    ]);
    expect(await iptablesListing(engine, appA!.id)).toBe(before.appA);
    expect(await iptablesListing(engine, appB!.id)).toBe(before.appB);
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
    expect(await reaches(engine, appB!.id, 'app-a')).toBe(true);
    // Idempotent: a second revert finds nothing and says so.
    expect((await networkPartition.revert(record, faultContext(engine))).done[0]).toBe(
      `${appA!.name} held no rule marked firedrill:cut; iptables -S there shows none now`,
    );
  });

  it('a container restarted during the partition comes back without our rules; revert counts it as verified', async () => {
    const { engine } = main();
    const record = helperRecord(
      networkPartition,
      { kind: 'network-partition', between: [['peer-c'], ['app-b']] },
      await main().discover(),
      'cut-restart',
    );
    await networkPartition.inject(record, faultContext(engine));
    const peerC = record.targets.find((t) => t.service === 'peer-c')!;
    expect(await iptablesListing(engine, peerC.containerId)).toContain('firedrill:cut-restart');
    await engine.restart(peerC.containerId, { timeoutSeconds: 1 });
    expect(await iptablesListing(engine, peerC.containerId)).not.toContain('firedrill:cut-restart');
    await engine.stop(record.targets.find((t) => t.service === 'app-b')!.containerId, { timeoutSeconds: 1 });
    try {
      const result = await networkPartition.revert(record, faultContext(engine));
      expect(result).toMatchObject({ verified: true, problems: [] });
      expect(result.done[1]).toMatch(/is exited: Docker released its network namespace when it stopped/);
    } finally {
      await engine.start(record.targets.find((t) => t.service === 'app-b')!.containerId);
    }
    expect(await iptablesListing(engine, record.targets[1]!.containerId)).not.toContain('firedrill:');
  });

  it('a rule carrying our mark in iptables-legacy (added by an image whose iptables is legacy) is found and deleted by revert', async () => {
    const { engine } = main();
    const [appA, storeA] = await Promise.all(['app-a', 'store-a'].map((s) => main().container(s)));
    const record = helperRecord(
      networkPartition,
      { kind: 'network-partition', between: [['app-a'], ['store-a']] },
      await main().discover(),
      'cut-legacy',
    );
    await networkPartition.inject(record, faultContext(engine));
    const ipA = appA!.networks.find((network) => network.networkName.endsWith('_inner'))!.ipv4!;
    const own = ['INPUT', '-p', 'udp', '--dport', '9999', '-j', 'ACCEPT'];
    await inNetns(engine, storeA!.id, [
      'iptables-legacy',
      '-A',
      'OUTPUT',
      '-d',
      `${ipA}/32`,
      '-m',
      'comment',
      '--comment',
      'firedrill:cut-legacy',
      '-j',
      'DROP',
    ]);
    await inNetns(engine, storeA!.id, ['iptables-legacy', '-A', ...own]);
    onTestFinished(() => inNetns(engine, storeA!.id, ['iptables-legacy', '-D', ...own]).then(() => undefined));

    const result = await networkPartition.revert(record, faultContext(engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toContain(`deleted 3 rules marked firedrill:cut-legacy in ${storeA!.name}; iptables -S there shows none now`);
    expect(await iptablesListing(engine, storeA!.id)).not.toContain('firedrill:');
    expect((await inNetns(engine, storeA!.id, ['iptables-legacy', '-S'])).split('\n')).toEqual([
      '-P INPUT ACCEPT',
      '-P FORWARD ACCEPT',
      '-P OUTPUT ACCEPT',
      '-A INPUT -p udp -m udp --dport 9999 -j ACCEPT',
      '',
    ]);
  });

  it('planning pins the helper image by id: the name retagged to an image whose iptables is legacy changes nothing the revert runs', async () => {
    const { engine } = main();
    const baseId = await imageIdOf(BASE_IMAGE);
    const name = `fdtest-helper-${randomBytes(4).toString('hex')}:bookworm`;
    await execa('docker', ['tag', baseId, name]);
    onTestFinished(() => execa('docker', ['rmi', name], { reject: false }).then(() => undefined));
    const legacyId = await committedImage(['update-alternatives', '--set', 'iptables', '/usr/sbin/iptables-legacy']);
    onTestFinished(() => execa('docker', ['rmi', legacyId], { reject: false }).then(() => undefined));
    const playbook = playbookSchema.parse({
      name: 'cut-a',
      title: 'Cut app-a off peer-c',
      summary: 'A partition planned with a helper image by name.',
      topology: { project: main().project, helperImage: name },
      steps: [{ name: 'partition', inject: { kind: 'network-partition', id: 'cut-pinned', between: [['app-a'], ['peer-c']] } }],
    });
    const { engine: recording, helpers } = recordingHelpers(engine);
    const plan = await planDrill({ playbook, file: 'inline', sha256: '0'.repeat(64), project: main().project }, recording);
    const planned = plan.faults.get(0)!;
    const record = { ...planned, spec: networkPartition.schema.parse(planned.spec) };
    expect(record).toMatchObject({ helperImage: baseId, helperImageName: name });
    await networkPartition.inject(record, faultContext(recording));

    // The name now stands for another image: its iptables is legacy, and would list nothing of ours.
    await execa('docker', ['tag', legacyId, name]);
    expect((await engine.runHelper({ image: name, command: ['iptables', '-V'], isolated: true })).stdout).toContain('(legacy)');
    const result = await networkPartition.revert(record, faultContext(recording));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual(
      record.targets.map(
        (target) =>
          `deleted ${rulesOf(target).length} rules marked firedrill:cut-pinned in ${target.name}; iptables -S there shows none now`,
      ),
    );
    for (const target of record.targets) expect(await iptablesListing(engine, target.containerId)).not.toContain('firedrill:');
    expect(new Set(helpers.map((helper) => helper.image))).toEqual(new Set([baseId]));
  });

  it('sides that share no network are refused at plan time', async () => {
    const topology = await main().discover();
    const plan = () => helperRecord(networkPartition, { kind: 'network-partition', between: [['store-a'], ['app-b']] }, topology, 'none');
    expect(plan).toThrow(ScopeError);
    expect(plan).toThrow(/service store-a and service app-b share no network/);
  });
});
