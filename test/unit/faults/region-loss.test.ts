import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { regionLoss, type RegionLossSpec } from '../../../src/faults/region-loss.js';
import { containerId, NETWORKS, shopTopology } from './hand-built-topology.js';

function record(input: Record<string, unknown>, topology = shopTopology()): FaultRecord<RegionLossSpec> {
  const spec = regionLoss.schema.parse({ kind: 'region-loss', ...input });
  return { ref: 'r', kind: 'region-loss', revertible: true, spec, targets: regionLoss.targets(spec, topology) };
}

describe('regionLoss.targets', () => {
  it('pins every container of every service of the region, by id', () => {
    const { targets } = record({ region: 'a' });
    expect(targets).toEqual([
      { containerId: containerId(1), name: 'shop-cache-a-1', service: 'cache-a' },
      { containerId: containerId(3), name: 'shop-web-a-1', service: 'web-a' },
      { containerId: containerId(4), name: 'shop-web-a-2', service: 'web-a' },
    ]);
  });

  it('for isolate, records the project networks and aliases of each target, and nothing else', () => {
    const { targets } = record({ region: 'a', mode: 'isolate' });
    const web1 = targets.find((t) => t.containerId === containerId(3))!;
    expect(web1.networks).toEqual([
      { networkId: NETWORKS.back.id, networkName: 'shop_back', aliases: ['web-a', 'www-a', containerId(3).slice(0, 12)] },
      { networkId: NETWORKS.front.id, networkName: 'shop_front', aliases: ['web-a', containerId(3).slice(0, 12)] },
    ]);
    expect(targets.every((t) => t.networks?.every((n) => n.networkName !== 'bridge'))).toBe(true);
  });

  it('the recorded networks are a copy: later changes to the topology do not alter the record', () => {
    const topology = shopTopology();
    const { targets } = record({ region: 'a', mode: 'isolate' }, topology);
    topology.services[0]!.containers[0]!.networks[0]!.aliases.length = 0;
    expect(targets[0]!.networks![0]!.aliases).toContain('cache-a');
  });

  it('an unknown or empty region is a ScopeError naming the known ones', () => {
    expect(() => record({ region: 'c' })).toThrow(ScopeError);
    expect(() => record({ region: 'c' })).toThrow('region "c" has no service in compose project "shop" (regions: a, b, empty)');
    expect(() => record({ region: 'empty' })).toThrow(ScopeError);
  });

  it('a container of the region that is not running is a ScopeError naming it', () => {
    const stopped = shopTopology({ cacheStatus: 'exited' });
    for (const mode of ['kill', 'stop', 'pause', 'isolate']) {
      expect(() => record({ region: 'a', mode }, stopped)).toThrow(ScopeError);
      expect(() => record({ region: 'a', mode }, stopped)).toThrow(/shop-cache-a-1 \(cache-a\) is exited/);
    }
    expect(record({ region: 'b' }, stopped).targets).toHaveLength(1);
  });
});

describe('regionLoss.plan and describe', () => {
  it('kill: one line per container with its name and signal, and how it comes back', () => {
    const r = record({ region: 'b', signal: 'TERM' });
    expect(regionLoss.describe(r.spec)).toBe('kill every container of region b with SIGTERM');
    expect(regionLoss.plan(r)).toEqual([
      {
        apply: 'kill container shop-web-b-1 (service web-b) with SIGTERM',
        revert: 'start shop-web-b-1 again and check that it is running',
      },
    ]);
  });

  it('pause and stop say what they do and undo', () => {
    expect(regionLoss.plan(record({ region: 'b', mode: 'pause' }))).toEqual([
      {
        apply: 'pause container shop-web-b-1 (service web-b), freezing its processes',
        revert: 'unpause shop-web-b-1 and check that it is running',
      },
    ]);
    expect(regionLoss.plan(record({ region: 'b', mode: 'stop' }))[0]!.apply).toBe(
      'stop container shop-web-b-1 (service web-b) (SIGTERM, then SIGKILL after its grace period)',
    );
    expect(regionLoss.describe(record({ region: 'a', mode: 'stop' }).spec)).toBe('stop every container of region a');
  });

  it('isolate names the networks and the aliases that will be given back', () => {
    const r = record({ region: 'a', mode: 'isolate' });
    expect(regionLoss.describe(r.spec)).toBe("cut every container of region a off the project's networks");
    expect(regionLoss.plan(r)[1]).toEqual({
      apply: 'disconnect container shop-web-a-1 (service web-a) from networks shop_back, shop_front',
      revert:
        'reconnect shop-web-a-1 to shop_back (aliases web-a, www-a), then shop_front (aliases web-a), in that order, each with the address it had ' +
        '(asked of the engine only where it does not give it back by itself); then check that it is on them with those aliases, and compare its ' +
        'addresses, MAC addresses and address configuration with these, reporting each that differs as a difference',
    });
  });
});
