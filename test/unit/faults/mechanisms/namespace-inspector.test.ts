import { describe, expect, it } from 'vitest';
import type { HelperSpec } from '../../../../src/engine/ports.js';
import { ScopeError } from '../../../../src/errors.js';
import type { FaultRecord } from '../../../../src/faults/fault.js';
import { latency } from '../../../../src/faults/latency.js';
import { INSPECTOR_CAPABILITIES, INSPECTOR_SCRIPT } from '../../../../src/faults/mechanisms/namespace-inspector.js';
import { networkPartition, type NetworkPartitionSpec } from '../../../../src/faults/network-partition.js';
import { packetLoss } from '../../../../src/faults/packet-loss.js';
import { regionLoss } from '../../../../src/faults/region-loss.js';
import { paintFor } from '../../../../src/cli/ui/paint.js';
import { renderPlanText } from '../../../../src/cli/ui/plan-text.js';
import { playbookSchema } from '../../../../src/playbook/schema.js';
import { describePlan } from '../../../../src/plan/plan-document.js';
import { planDrill } from '../../../../src/plan/plan.js';
import { FakeEngine, FakeEngineError } from '../../../support/fake-engine.js';
import { FakeNetns, mesh } from '../fake-netns.js';

const IMAGE = 'firedrill-base:bookworm';
const LEFTOVER = '-A INPUT -s 172.20.0.99/32 -m comment --comment "firedrill:step-4" -j DROP';

/** A ledger's clients and replicas on one network, with an auditor no fault here targets. */
function ledger(): FakeEngine {
  return new FakeEngine([
    { service: 'clients', labels: { 'ledger.zone': 'north' }, networks: [mesh('172.20.0.2', 'clients')] },
    { service: 'clients', labels: { 'ledger.zone': 'north' }, networks: [mesh('172.20.0.3', 'clients')] },
    { service: 'clients', labels: { 'ledger.zone': 'north' }, networks: [mesh('172.20.0.4', 'clients')] },
    { service: 'replica', networks: [mesh('172.20.0.5', 'replica')] },
    { service: 'replica', networks: [mesh('172.20.0.6', 'replica')] },
    { service: 'auditor', networks: [mesh('172.20.0.7', 'auditor')] },
  ]);
}

function partition(engine: FakeEngine): FaultRecord<NetworkPartitionSpec> {
  const spec = networkPartition.schema.parse({ kind: 'network-partition', between: [['clients'], ['replica']] });
  return {
    ref: 'cut',
    kind: 'network-partition',
    revertible: true,
    spec,
    targets: networkPartition.targets(spec, engine.topology()),
    helperImage: IMAGE,
  };
}

const ctx = (engine: FakeEngine) => ({ engine, signal: new AbortController().signal, project: 'demo' });
const helpers = (engine: FakeEngine) => engine.callsTo('runHelper').map(([spec]) => spec as HelperSpec);
const refuseHostPids = (engine: FakeEngine) =>
  engine.before('runHelper', ([spec]) => {
    if ((spec as HelperSpec).hostPids)
      throw new FakeEngineError(403, 'authorization denied by plugin ledger-policy: host PID namespace is not allowed');
  });
const PER_TARGET =
  "each target's network namespace was read by a helper container of its own, one after another as the engine starts them: the namespace inspector, one helper that reads them all, ";

describe('the namespace inspector (plan-time reading of many namespaces)', () => {
  it('reads every target of a partition from ONE helper: host PIDs, only the capabilities it needs, no network, read-only, labelled', async () => {
    const engine = ledger();
    new FakeNetns(engine);
    const planned = partition(engine);
    expect(planned.targets).toHaveLength(5);

    const checked = await networkPartition.preflight!(planned, ctx(engine));

    expect(checked).toEqual(planned);
    const [inspector, ...others] = helpers(engine);
    expect(others).toEqual([]);
    expect(inspector).toEqual({
      image: IMAGE,
      command: expect.arrayContaining(['sh', '-c', INSPECTOR_SCRIPT, 'firedrill-inspector']),
      purpose: 'read the network namespaces of 5 containers',
      isolated: true,
      hostPids: true,
      capAdd: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW'],
      dropOtherCapabilities: true,
      readOnlyRoot: true,
      labels: { 'firedrill.fault': 'cut' },
      project: 'demo',
    });
    expect(INSPECTOR_CAPABILITIES).toEqual(inspector!.capAdd);
    // The PIDs are arguments, in the record's order, after "--"; nothing else follows them.
    const command = inspector!.command;
    expect(command.slice(0, 4)).toEqual(['sh', '-c', INSPECTOR_SCRIPT, 'firedrill-inspector']);
    expect(command.slice(command.indexOf('--') + 1)).toEqual(planned.targets.map((t) => String(engine.container(t.containerId).pid)));
  });

  it("refuses a target holding an earlier drill's rule, in either backend, naming the first in the record's order, from the one helper", async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    const planned = partition(engine);
    netns.namespace(planned.targets[3]!.containerId).rules.push(LEFTOVER);
    netns.namespace(planned.targets[1]!.containerId).legacy = [LEFTOVER.replace('step-4', 'step-2')];

    const check = networkPartition.preflight!(planned, ctx(engine));

    await expect(check).rejects.toBeInstanceOf(ScopeError);
    await expect(check).rejects.toThrow(
      /^demo-clients-2 \(clients\) already holds 1 iptables rule marked by firedrill \(firedrill:step-2\): /,
    );
    await expect(check).rejects.toThrow(/iptables-legacy -D INPUT -s 172\.20\.0\.99\/32 -m comment --comment firedrill:step-2 -j DROP$/);
    expect(helpers(engine)).toHaveLength(1);
  });

  it('when the engine refuses the inspector (a policy, rootless, userns-remap), reads each target by its own helper and says so once', async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    refuseHostPids(engine);
    const planned = partition(engine);

    const checked = await networkPartition.preflight!(planned, ctx(engine));

    expect(checked!.notes).toEqual([
      `${PER_TARGET}could not be run: authorization denied by plugin ledger-policy: host PID namespace is not allowed`,
    ]);
    expect({ ...checked, notes: undefined }).toEqual({ ...planned, notes: undefined });
    const [refused, ...perTarget] = helpers(engine);
    expect(refused!.hostPids).toBe(true);
    expect(perTarget.map((spec) => [spec.networkOf, spec.capAdd, spec.hostPids])).toEqual(
      planned.targets.map((t) => [t.containerId, ['NET_ADMIN'], undefined]),
    );

    // The per-target path still refuses leftovers.
    netns.namespace(planned.targets[4]!.containerId).rules.push(LEFTOVER);
    await expect(networkPartition.preflight!(planned, ctx(engine))).rejects.toThrow(
      /^demo-replica-2 \(replica\) already holds 1 iptables rule marked by firedrill \(firedrill:step-4\)/,
    );
  });

  it('a helper image without nsenter, or an engine where no namespace can be entered: per-target reading, and the note says why', async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    const planned = partition(engine);

    netns.inspector.nsenter = false;
    expect((await networkPartition.preflight!(planned, ctx(engine)))!.notes).toEqual([
      `${PER_TARGET}ended with exit code 3: nsenter (util-linux) is not in the helper image`,
    ]);
    expect(helpers(engine).filter((spec) => spec.networkOf !== undefined)).toHaveLength(5);

    netns.inspector.nsenter = true;
    netns.inspector.enter = false;
    expect((await networkPartition.preflight!(planned, ctx(engine)))!.notes).toEqual([
      `${PER_TARGET}could enter none of their namespaces: nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted`,
    ]);
    expect(helpers(engine).filter((spec) => spec.networkOf !== undefined)).toHaveLength(10);
  });

  it("a target restarted while the inspector ran, its old PID now another container's: that reading is dropped and the target read by its own helper", async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    const planned = partition(engine);
    const restarted = planned.targets[2]!;
    // The auditor's namespace holds a rule of an earlier drill; the restarted target's does not.
    const auditor = engine.container('demo-auditor-1');
    netns.namespace(auditor.id).rules.push(LEFTOVER);
    engine.before('runHelper', async ([spec]) => {
      if (!(spec as HelperSpec).hostPids) return;
      const oldPid = engine.container(restarted.containerId).pid;
      await engine.restart(restarted.containerId);
      auditor.pid = oldPid;
    });

    // Taken at its word, the inspector would have listed the auditor's table as the target's.
    const checked = await networkPartition.preflight!(planned, ctx(engine));

    expect(checked).toEqual(planned);
    const [inspector, ...again] = helpers(engine);
    expect(inspector!.hostPids).toBe(true);
    expect(again.map((spec) => spec.networkOf)).toEqual([restarted.containerId]);
  });

  it("the same guard keeps a latency from pinning another container's interfaces", async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    const spec = latency.schema.parse({ kind: 'latency', service: 'clients', delay: '200ms' });
    const planned = {
      ref: 'slow',
      kind: 'latency',
      revertible: true,
      spec,
      targets: latency.targets(spec, engine.topology()),
      helperImage: IMAGE,
    };
    const restarted = planned.targets[0]!;
    const auditor = engine.container('demo-auditor-1');
    engine.before('runHelper', async ([helper]) => {
      if (!(helper as HelperSpec).hostPids) return;
      const oldPid = engine.container(restarted.containerId).pid;
      await engine.restart(restarted.containerId);
      auditor.pid = oldPid;
    });

    const checked = await latency.preflight!(planned, ctx(engine));

    expect(checked!.targets.map((t) => t.before?.['interfaces'])).toEqual([1, 2, 3].map(() => [{ device: 'eth0', network: 'demo_mesh' }]));
    // The netem check, the inspector, and the restarted target's own helper.
    expect(netns.commands.map((c) => c.where)).toEqual(['isolated', 'isolated', 'demo-clients-1']);
    expect(helpers(engine)[1]).toMatchObject({ hostPids: true, purpose: 'read the network namespaces of 3 containers' });
  });

  it('latency and region-loss isolate read addresses and qdiscs, or addresses, from one inspector too', async () => {
    const engine = ledger();
    const netns = new FakeNetns(engine);
    netns.namespace('demo-clients-3').roots.set('eth0', { kind: 'htb', handle: '1:' });
    const spec = latency.schema.parse({ kind: 'latency', service: 'clients', delay: '200ms' });
    const planned = {
      ref: 'slow',
      kind: 'latency',
      revertible: true,
      spec,
      targets: latency.targets(spec, engine.topology()),
      helperImage: IMAGE,
    };
    await expect(latency.preflight!(planned, ctx(engine))).rejects.toThrow(
      /^latency: interface eth0 of demo-clients-3 already has a root qdisc \(htb 1:\)/,
    );
    expect(helpers(engine).map((h) => h.hostPids ?? h.isolated)).toEqual([true, true]);
    expect(helpers(engine)[1]!.command).toEqual(expect.arrayContaining(['addresses', 'qdiscs', '--']));

    const isolate = regionLoss.schema.parse({ kind: 'region-loss', region: 'north', mode: 'isolate' });
    const topology = engine.topology({ regionLabel: 'ledger.zone' });
    const region = {
      ref: 'north',
      kind: 'region-loss',
      revertible: true,
      spec: isolate,
      targets: regionLoss.targets(isolate, topology),
      helperImage: IMAGE,
    };
    const recorded = await regionLoss.preflight!(region, ctx(engine));
    expect(recorded!.targets.map((t) => t.networks!.map((n) => n.interfaceName))).toEqual([['eth0'], ['eth0'], ['eth0']]);
    expect(
      helpers(engine)
        .slice(2)
        .map((h) => [h.hostPids, h.command.filter((word) => word === 'addresses' || word === 'qdiscs')]),
    ).toEqual([[true, ['addresses']]]);
  });

  it('a single target is read by its own helper: the inspector is for many', async () => {
    const engine = new FakeEngine([{ service: 'replica', networks: [mesh('172.20.0.5', 'replica')] }]);
    new FakeNetns(engine);
    const spec = packetLoss.schema.parse({ kind: 'packet-loss', service: 'replica', probability: 0.2 });
    const planned = {
      ref: 'lossy',
      kind: 'packet-loss',
      revertible: true,
      spec,
      targets: packetLoss.targets(spec, engine.topology()),
      helperImage: IMAGE,
    };
    await packetLoss.preflight!(planned, ctx(engine));
    expect(helpers(engine).map((h) => [h.networkOf, h.hostPids])).toEqual([[planned.targets[0]!.containerId, undefined]]);
  });

  it('a target that stopped before the inspector entered it is read by its own helper, which says what is wrong', async () => {
    const engine = ledger();
    new FakeNetns(engine);
    const planned = partition(engine);
    engine.before('runHelper', async ([spec]) => {
      if ((spec as HelperSpec).hostPids) await engine.stop(planned.targets[1]!.containerId);
    });
    await expect(networkPartition.preflight!(planned, ctx(engine))).rejects.toThrow(
      /cannot join container demo-clients-2: it is not running/,
    );
    expect(helpers(engine).map((h) => h.networkOf)).toEqual([undefined, planned.targets[1]!.containerId]);
  });

  it('the plan shows the note once, under its fault, and the plan hash does not change with it', async () => {
    const playbook = playbookSchema.parse({
      name: 'cut-ledger',
      title: 'Cut the clients off the replicas',
      summary: 'Planned only.',
      topology: { project: 'demo' },
      steps: [{ name: 'partition', inject: { kind: 'network-partition', id: 'cut', between: [['clients'], ['replica']] } }],
    });
    const planOn = async (engine: FakeEngine) =>
      describePlan(await planDrill({ playbook, file: 'cut.yaml', sha256: 'd'.repeat(64), project: 'demo' }, engine));
    const inspected = ledger();
    new FakeNetns(inspected);
    const refused = ledger();
    new FakeNetns(refused);
    refuseHostPids(refused);

    const [withInspector, withoutInspector] = [await planOn(inspected), await planOn(refused)];

    expect(withoutInspector.planHash).toBe(withInspector.planHash);
    expect(withInspector.steps[0]!.fault!.notes).toBeUndefined();
    const text = renderPlanText(withoutInspector, paintFor(false));
    const notes = text.split('\n').filter((line) => line.includes('note'));
    expect(notes).toEqual([
      `       note  ${PER_TARGET}could not be run: authorization denied by plugin ledger-policy: host PID namespace is not allowed`,
    ]);
    expect(renderPlanText(withInspector, paintFor(false))).not.toContain('namespace inspector');
  });
});
