import { describe, expect, it } from 'vitest';
import { ContainerGoneError } from '../../../../src/engine/container-gone.js';
import type { AttachedNetwork, ContainerState, ContainerStatus } from '../../../../src/engine/ports.js';
import type { FaultEngine, FaultRecord } from '../../../../src/faults/fault.js';
import { regionLoss, type RegionLossSpec } from '../../../../src/faults/region-loss.js';
import { containerId, shopTopology } from '../hand-built-topology.js';

/**
 * A scripted engine for the revert logic: containers with a status and networks, methods that
 * change them as Docker would ("already so" is success), and methods that can be told to fail.
 */
class ScriptedEngine {
  readonly calls: string[] = [];
  readonly failing = new Set<string>();
  private readonly status = new Map<string, ContainerStatus>();
  private readonly networks = new Map<string, AttachedNetwork[]>();

  set(id: string, status: ContainerStatus, networks: AttachedNetwork[] = []): void {
    this.status.set(id, status);
    this.networks.set(
      id,
      networks.map((n) => ({ ...n, aliases: [...n.aliases] })),
    );
  }

  private act(call: string, id: string, change: () => void): Promise<void> {
    this.calls.push(`${call} ${id.slice(0, 4)}`);
    if (this.failing.has(call)) return Promise.reject(new Error(`${call} refused by the engine`));
    change();
    return Promise.resolve();
  }

  kill = (id: string) => this.act('kill', id, () => this.status.set(id, 'exited'));
  stop = (id: string) => this.act('stop', id, () => this.status.set(id, 'exited'));
  restart = (id: string) => this.act('restart', id, () => this.status.set(id, 'running'));
  pause = (id: string) => this.act('pause', id, () => this.status.set(id, 'paused'));
  start = (id: string) => this.act('start', id, () => this.status.get(id) !== 'paused' && this.status.set(id, 'running'));
  unpause = (id: string) => this.act('unpause', id, () => this.status.get(id) === 'paused' && this.status.set(id, 'running'));
  inspectState = (id: string): Promise<ContainerState> => {
    const status = this.status.get(id);
    if (this.failing.has('inspectState')) return Promise.reject(new Error('inspect refused by the engine'));
    return status ? Promise.resolve({ id, status, health: 'none' }) : Promise.reject(new ContainerGoneError(`No such container: ${id}`));
  };
  attachedNetworks = (id: string) => Promise.resolve((this.networks.get(id) ?? []).map((n) => ({ ...n, aliases: [...n.aliases] })));
  disconnect = (networkId: string, id: string) =>
    this.act('disconnect', id, () =>
      this.networks.set(
        id,
        (this.networks.get(id) ?? []).filter((n) => n.networkId !== networkId),
      ),
    );
  connect = (networkId: string, id: string, { aliases }: { aliases: string[] }) =>
    this.act('connect', id, () => {
      const current = this.networks.get(id) ?? [];
      if (current.some((n) => n.networkId === networkId)) return;
      // Like Docker 20.10: the container's short id is added to the aliases given.
      current.push({
        networkId,
        networkName: networkId === 'b'.repeat(64) ? 'shop_back' : 'shop_front',
        aliases: [...aliases, id.slice(0, 12)],
      });
      this.networks.set(id, current);
    });
  exec = () => Promise.reject(new Error('not used'));
}

function isolateRegionA(): {
  record: FaultRecord<RegionLossSpec>;
  engine: ScriptedEngine;
  ctx: { engine: FaultEngine; signal: AbortSignal };
} {
  const topology = shopTopology();
  const spec = regionLoss.schema.parse({ kind: 'region-loss', region: 'a', mode: 'isolate' });
  const record = { ref: 'r', kind: 'region-loss', revertible: true, spec, targets: regionLoss.targets(spec, topology) };
  const engine = new ScriptedEngine();
  for (const service of topology.services) for (const c of service.containers) engine.set(c.id, c.status, c.networks);
  return { record, engine, ctx: { engine: engine as unknown as FaultEngine, signal: new AbortController().signal } };
}

describe('revert of container faults (scripted engine)', () => {
  it('after isolate, reconnects every recorded network with its aliases but without the engine-made short id', async () => {
    const { record, engine, ctx } = isolateRegionA();
    await regionLoss.inject(record, ctx);
    expect(await engine.attachedNetworks(containerId(3))).toEqual([expect.objectContaining({ networkName: 'bridge' })]);

    const result = await regionLoss.revert(record, ctx);

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toContain(`reconnected shop-web-a-1 to network shop_back with aliases [web-a, www-a]`);
    const back = (await engine.attachedNetworks(containerId(3))).find((n) => n.networkName === 'shop_back')!;
    expect(back.aliases).toEqual(['web-a', 'www-a', containerId(3).slice(0, 12)]);
  });

  it('a container put back on a network without its aliases is disconnected and connected properly', async () => {
    const { record, engine, ctx } = isolateRegionA();
    await regionLoss.inject(record, ctx);
    await engine.connect('b'.repeat(64), containerId(1), { aliases: [] }); // someone reconnected it by hand, without aliases
    engine.calls.length = 0;

    const result = await regionLoss.revert(record, ctx);

    expect(result.verified).toBe(true);
    expect(engine.calls.filter((call) => call.endsWith(containerId(1).slice(0, 4)))).toEqual([`disconnect 0001`, `connect 0001`]);
  });

  it('when reconnecting fails, the revert is unverified and gives the exact command to finish it', async () => {
    const { record, engine, ctx } = isolateRegionA();
    await regionLoss.inject(record, ctx);
    engine.failing.add('connect');

    const result = await regionLoss.revert(record, ctx);

    expect(result.verified).toBe(false);
    expect(result.problems).toContain('shop-web-a-1 is not on network shop_back');
    expect(result.manual).toContain(`docker network connect --alias web-a --alias www-a shop_back ${containerId(3)}`);
    expect(result.manual).toContain(`docker network connect --alias cache-a shop_back ${containerId(1)}`);
    expect(result.problems.some((p) => p.includes('connect refused by the engine'))).toBe(true);
  });

  it('still acts on every target when one cannot be restored, and says what to run by hand', async () => {
    const topology = shopTopology();
    const spec = regionLoss.schema.parse({ kind: 'region-loss', region: 'a', mode: 'pause' });
    const record = { ref: 'r', kind: 'region-loss', revertible: true, spec, targets: regionLoss.targets(spec, topology) };
    const engine = new ScriptedEngine();
    engine.set(containerId(1), 'paused');
    engine.set(containerId(3), 'exited');
    engine.set(containerId(4), 'paused');
    engine.failing.add('unpause');
    const ctx = { engine: engine as unknown as FaultEngine, signal: new AbortController().signal };

    const result = await regionLoss.revert(record, ctx);

    expect(result.verified).toBe(false);
    expect(result.done).toEqual(['started shop-web-a-1 (it was exited)']);
    expect(result.problems).toEqual([
      'unpause refused by the engine',
      'shop-cache-a-1 is still paused',
      'unpause refused by the engine',
      'shop-web-a-2 is still paused',
    ]);
    expect(result.manual).toEqual([`docker unpause ${containerId(1)}`, `docker unpause ${containerId(4)}`]);
  });

  it('a container removed during the drill is recorded as gone: nothing of the fault can remain on it', async () => {
    const { record, engine, ctx } = isolateRegionA();
    const gone = new ScriptedEngine();
    for (const target of record.targets.slice(1))
      gone.set(target.containerId, 'running', await engine.attachedNetworks(target.containerId));
    const result = await regionLoss.revert(record, { ...ctx, engine: gone as unknown as FaultEngine });
    expect(result.verified).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.done).toContain(
      'shop-cache-a-1 no longer exists (removed or replaced during the drill); nothing of the fault can remain on it',
    );
    expect(gone.calls.filter((call) => call.endsWith(containerId(1).slice(0, 4)))).toEqual([]);
  });

  it('a container that cannot be observed is a problem, with the commands to finish by hand', async () => {
    const { record, engine, ctx } = isolateRegionA();
    engine.failing.add('inspectState');
    const result = await regionLoss.revert(record, ctx);
    expect(result.verified).toBe(false);
    expect(result.problems).toContain('could not observe shop-cache-a-1: inspect refused by the engine');
    expect(result.manual[0]).toMatch(new RegExp(`^docker start ${containerId(1)}`));
  });
});
