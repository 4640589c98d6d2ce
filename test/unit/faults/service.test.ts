import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { serviceFault, type ServiceFaultSpec } from '../../../src/faults/service.js';
import { containerId, shopTopology } from './hand-built-topology.js';

function record(input: Record<string, unknown>, topology = shopTopology()): FaultRecord<ServiceFaultSpec> {
  const spec = serviceFault.schema.parse({ kind: 'service', ...input });
  return { ref: 's', kind: 'service', revertible: true, spec, targets: serviceFault.targets(spec, topology) };
}

describe('serviceFault', () => {
  it('targets every container of the service, in compose number order', () => {
    expect(record({ service: 'web-a' }).targets.map((t) => [t.containerId, t.name])).toEqual([
      [containerId(3), 'shop-web-a-1'],
      [containerId(4), 'shop-web-a-2'],
    ]);
    expect(record({ service: 'web-a' }).targets.every((t) => t.networks === undefined)).toBe(true);
  });

  it('an unknown service is a ScopeError listing the services', () => {
    expect(() => record({ service: 'db' })).toThrow(ScopeError);
    expect(() => record({ service: 'db' })).toThrow(
      'service "db" is not part of compose project "shop" (services: cache-a, client, web-a, web-b)',
    );
  });

  it('a stopped container is a ScopeError, whatever the mode', () => {
    for (const mode of ['kill', 'stop', 'pause', 'restart']) {
      expect(() => record({ service: 'cache-a', mode }, shopTopology({ cacheStatus: 'exited' }))).toThrow(
        /running containers only.*shop-cache-a-1 \(cache-a\) is exited/,
      );
    }
  });

  it('plans per container; restart has nothing to undo but is checked', () => {
    const restart = record({ service: 'web-a', mode: 'restart' });
    expect(serviceFault.describe(restart.spec)).toBe('restart every container of service web-a');
    expect(serviceFault.plan(restart)).toEqual([
      {
        apply: 'restart container shop-web-a-1 (service web-a)',
        revert: 'nothing to undo; check that shop-web-a-1 is running again (start it if not)',
      },
      {
        apply: 'restart container shop-web-a-2 (service web-a)',
        revert: 'nothing to undo; check that shop-web-a-2 is running again (start it if not)',
      },
    ]);
    const kill = record({ service: 'cache-a' });
    expect(serviceFault.describe(kill.spec)).toBe('kill every container of service cache-a with SIGKILL');
    expect(serviceFault.plan(kill)[0]!.apply).toBe('kill container shop-cache-a-1 (service cache-a) with SIGKILL');
  });
});
