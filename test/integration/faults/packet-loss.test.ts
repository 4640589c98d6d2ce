import { describe, expect, it, onTestFinished } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { packetLoss } from '../../../src/faults/packet-loss.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { connectionsOpened, helperRecord, inNetns, iptablesListing, reaches } from './netns-probes.js';

const projects = useFixtureProjects('netfaults', 1);

describe('packet-loss against a real compose project', () => {
  const main = () => projects()[0]!;

  it('probability 1: nothing reaches app-b but its own loopback; revert restores the table exactly', async () => {
    const { engine } = main();
    const [appA, appB, peerC] = await Promise.all(['app-a', 'app-b', 'peer-c'].map((s) => main().container(s)));
    // A rule of the target's own, which must stay where it is; the fixture is shared, so it goes afterwards.
    const own = ['INPUT', '-s', '10.255.255.1/32', '-j', 'ACCEPT'];
    await inNetns(engine, appB!.id, ['iptables', '-A', ...own]);
    onTestFinished(async () => {
      await inNetns(engine, appB!.id, ['iptables', '-D', ...own]);
      expect(await iptablesListing(engine, appB!.id)).not.toContain('10.255.255.1');
    });
    const before = await iptablesListing(engine, appB!.id);
    const record = helperRecord(packetLoss, { kind: 'packet-loss', service: 'app-b', probability: 1 }, await main().discover(), 'drop-all');

    await packetLoss.inject(record, faultContext(engine));

    const during = await iptablesListing(engine, appB!.id);
    expect(during.split('\n')).toEqual([
      '-P INPUT ACCEPT',
      '-P FORWARD ACCEPT',
      '-P OUTPUT ACCEPT',
      '-A INPUT ! -i lo -m statistic --mode random --probability 1.00000000000 -m comment --comment "firedrill:drop-all" -j DROP',
      '-A INPUT -s 10.255.255.1/32 -j ACCEPT',
      '',
    ]);
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(false);
    expect(await reaches(engine, peerC!.id, 'app-b')).toBe(false);
    expect(await reaches(engine, appB!.id, '127.0.0.1')).toBe(true);
    expect(await reaches(engine, appA!.id, 'peer-c')).toBe(true);

    const result = await packetLoss.revert(record, faultContext(engine));

    expect(result).toEqual({
      verified: true,
      done: [`deleted 1 rule marked firedrill:drop-all in ${appB!.name}; iptables -S there shows none now`],
      problems: [],
      manual: [],
    });
    expect(await iptablesListing(engine, appB!.id)).toBe(before);
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
    expect(await reaches(engine, peerC!.id, 'app-b')).toBe(true);
  });

  it('`from` limits the loss to those services: app-a loses app-b, peer-c still reaches it', async () => {
    const { engine } = main();
    const [appA, appB, peerC] = await Promise.all(['app-a', 'app-b', 'peer-c'].map((s) => main().container(s)));
    const before = await iptablesListing(engine, appB!.id);
    const record = helperRecord(
      packetLoss,
      { kind: 'packet-loss', service: 'app-b', probability: 1, from: ['app-a'] },
      await main().discover(),
      'from-a',
    );

    await packetLoss.inject(record, faultContext(engine));

    expect(await iptablesListing(engine, appB!.id)).toContain(
      `-A INPUT -s ${appA!.networks.find((n) => n.networkName.endsWith('_mesh'))!.ipv4}/32 ! -i lo`,
    );
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(false);
    expect(await reaches(engine, peerC!.id, 'app-b')).toBe(true);
    expect((await packetLoss.revert(record, faultContext(engine))).verified).toBe(true);
    expect(await iptablesListing(engine, appB!.id)).toBe(before);
    expect(await reaches(engine, appA!.id, 'app-b')).toBe(true);
  });

  it("an earlier drill's marked rule in the target is refused at plan time, and nothing is touched", async () => {
    const { engine } = main();
    const appB = await main().container('app-b');
    const leftover = ['INPUT', '-s', '10.255.255.2/32', '-m', 'comment', '--comment', 'firedrill:step-9', '-j', 'DROP'];
    await inNetns(engine, appB.id, ['iptables', '-A', ...leftover]);
    onTestFinished(() => inNetns(engine, appB.id, ['iptables', '-D', ...leftover]).then(() => undefined));
    const before = await iptablesListing(engine, appB.id);
    const playbook = playbookSchema.parse({
      name: 'lossy-b',
      title: 'Lossy app-b',
      summary: 'app-b loses every packet.',
      topology: { project: main().project },
      steps: [{ name: 'lose packets', inject: { kind: 'packet-loss', service: 'app-b', probability: 1 } }],
    });

    const planning = planDrill({ playbook, file: 'inline', sha256: '0'.repeat(64), project: main().project }, engine);

    await expect(planning).rejects.toBeInstanceOf(ScopeError);
    await expect(planning).rejects.toThrow(
      `${appB.name} (app-b) already holds 1 iptables rule marked by firedrill (firedrill:step-9): a drill on this project is still running, ` +
        'or an earlier one was killed before it could revert it',
    );
    await expect(planning).rejects.toThrow(`run \`firedrill recover --project ${main().project}\``);
    await expect(planning).rejects.toThrow(/iptables-nft -D INPUT -s 10\.255\.255\.2\/32 -m comment --comment firedrill:step-9 -j DROP$/);
    expect(await iptablesListing(engine, appB.id)).toBe(before);
  });

  it('probability 0.5: of 40 connections at once, some open and some do not', async () => {
    const { engine } = main();
    const [appB, peerC] = await Promise.all(['app-b', 'peer-c'].map((s) => main().container(s)));
    const ipB = appB!.networks[0]!.ipv4!;
    expect(await connectionsOpened(engine, peerC!.id, ipB, 40, 1)).toBe(40);
    const record = helperRecord(packetLoss, { kind: 'packet-loss', service: 'app-b', probability: 0.5 }, await main().discover(), 'half');

    await packetLoss.inject(record, faultContext(engine));
    // A connection opens within 0.8 s only if its first SYN gets through (the retry comes after 1 s):
    // about half do. All 40 or none would happen with odds of about 1 in 10^12.
    const opened = await connectionsOpened(engine, peerC!.id, ipB, 40, 0.8).finally(() => packetLoss.revert(record, faultContext(engine)));

    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(40);
    expect(await iptablesListing(engine, appB!.id)).not.toContain('firedrill:half');
    expect(await connectionsOpened(engine, peerC!.id, ipB, 40, 1)).toBe(40);
  });
});
