import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { cachePurge, type CachePurgeSpec } from '../../../src/faults/cache-purge.js';
import type { FaultRecord } from '../../../src/faults/fault.js';
import { shopTopology } from './hand-built-topology.js';

function record(input: Record<string, unknown>, topology = shopTopology()): FaultRecord<CachePurgeSpec> {
  const spec = cachePurge.schema.parse({ kind: 'cache-purge', ...input });
  return { ref: 'c', kind: 'cache-purge', revertible: false, spec, targets: cachePurge.targets(spec, topology) };
}

describe('cachePurge', () => {
  it('is not revertible and plans no revert', () => {
    const r = record({ service: 'cache-a', cache: 'redis' });
    expect(cachePurge.revertible).toBe(false);
    expect(cachePurge.describe(r.spec)).toBe('purge the redis cache of service cache-a (`redis-cli FLUSHALL`)');
    expect(cachePurge.plan(r)).toEqual([{ apply: '`redis-cli FLUSHALL` in container shop-cache-a-1 (service cache-a)' }]);
  });

  it('nginx and command plans say what runs where', () => {
    const nginx = record({ service: 'web-a', cache: 'nginx', path: '/var/cache/nginx/shop' });
    expect(cachePurge.plan(nginx).map((p) => p.apply)).toEqual([
      'empty /var/cache/nginx/shop and `nginx -s reload` in container shop-web-a-1 (service web-a)',
      'empty /var/cache/nginx/shop and `nginx -s reload` in container shop-web-a-2 (service web-a)',
    ]);
    const command = record({ service: 'web-b', cache: 'command', command: ['app', 'cache:clear'] });
    expect(cachePurge.describe(command.spec)).toBe('purge the cache of service web-b with `app cache:clear`');
    expect(cachePurge.plan(command)).toEqual([{ apply: '`app cache:clear` in container shop-web-b-1 (service web-b)' }]);
  });

  it('a stopped cache container is a ScopeError (nothing can be run in it)', () => {
    expect(() => record({ service: 'cache-a', cache: 'redis' }, shopTopology({ cacheStatus: 'exited' }))).toThrow(ScopeError);
  });

  it('revert touches nothing and says why', async () => {
    const engine = new Proxy(
      {},
      {
        get: () => () => {
          throw new Error('revert must not call the engine');
        },
      },
    );
    const result = await cachePurge.revert(record({ service: 'cache-a', cache: 'redis' }), {
      engine: engine as never,
      signal: new AbortController().signal,
    });
    expect(result).toEqual({ verified: true, done: ['cache purge cannot be undone; nothing to revert'], problems: [], manual: [] });
  });
});
