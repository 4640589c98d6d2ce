import { describe, expect, it } from 'vitest';
import { cachePurge } from '../../../src/faults/cache-purge.js';
import { faultContext, recordFor, useFixtureProjects } from '../compose-project.js';

const projects = useFixtureProjects('two-region', 1);

/** Runs a shell command in a service's container and returns its trimmed stdout; fails on non-zero exit. */
async function sh(service: string, script: string): Promise<string> {
  const main = projects()[0]!;
  const container = await main.container(service);
  const result = await main.engine.exec(container.id, ['sh', '-c', script], { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`\`${script}\` in ${service} exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout.trim();
}

const cacheStatus = () => sh('web-a', "curl -s -o /dev/null -D - http://127.0.0.1:8080/ | tr -d '\\r' | sed -n 's/^X-Cache-Status: //p'");

describe('cache-purge against a real compose project', () => {
  const main = () => projects()[0]!;

  it('redis: FLUSHALL empties the database; revert says there is nothing to undo', async () => {
    await sh('cache-a', 'for k in a b c; do redis-cli SET "key-$k" v >/dev/null; done');
    expect(await sh('cache-a', 'redis-cli DBSIZE')).toBe('3');
    const record = recordFor(cachePurge, { kind: 'cache-purge', service: 'cache-a', cache: 'redis' }, await main().discover());

    await cachePurge.inject(record, faultContext(main().engine));

    expect(await sh('cache-a', 'redis-cli DBSIZE')).toBe('0');
    expect(await cachePurge.revert(record, faultContext(main().engine))).toEqual({
      verified: true,
      done: ['cache purge cannot be undone; nothing to revert'],
      problems: [],
      manual: [],
    });
  });

  it('redis: an answer other than OK is an error, even with exit code 0', async () => {
    await sh('cache-a', 'redis-cli SET kept v >/dev/null && redis-cli CONFIG SET requirepass drill-secret >/dev/null');
    try {
      const record = recordFor(cachePurge, { kind: 'cache-purge', service: 'cache-a', cache: 'redis' }, await main().discover());
      await expect(cachePurge.inject(record, faultContext(main().engine))).rejects.toThrow(/NOAUTH.*instead of OK/);
    } finally {
      await sh('cache-a', 'redis-cli -a drill-secret --no-auth-warning CONFIG SET requirepass ""');
    }
    expect(await sh('cache-a', 'redis-cli DBSIZE')).toBe('1');
  });

  it('nginx: empties the cache directory (keeping it) and reloads nginx, so a HIT becomes a MISS', async () => {
    await cacheStatus();
    expect(await cacheStatus()).toBe('HIT');
    const masterPid = await sh('web-a', 'cat /run/nginx.pid');
    const spec = { kind: 'cache-purge', service: 'web-a', cache: 'nginx', path: '/var/cache/nginx/fixture' };
    const record = recordFor(cachePurge, spec, await main().discover());

    await cachePurge.inject(record, faultContext(main().engine));

    expect(await sh('web-a', 'test -d /var/cache/nginx/fixture && find /var/cache/nginx/fixture -mindepth 1 | wc -l')).toBe('0');
    expect(await sh('web-a', 'cat /run/nginx.pid')).toBe(masterPid); // reloaded, not restarted
    expect(await cacheStatus()).toBe('MISS');
    expect(await cacheStatus()).toBe('HIT');
  });

  it('nginx: a cache directory that does not exist is an error naming it', async () => {
    const spec = { kind: 'cache-purge', service: 'web-a', cache: 'nginx', path: '/var/cache/nowhere' };
    const record = recordFor(cachePurge, spec, await main().discover());
    await expect(cachePurge.inject(record, faultContext(main().engine))).rejects.toThrow(
      /exited with code 3: cache directory \/var\/cache\/nowhere does not exist/,
    );
  });

  it('command: runs the given command; a non-zero exit is an error with its output', async () => {
    await sh('web-b', 'mkdir -p /tmp/app-cache && touch /tmp/app-cache/entry');
    const topology = await main().discover();
    const purge = recordFor(
      cachePurge,
      { kind: 'cache-purge', service: 'web-b', cache: 'command', command: 'rm -rf /tmp/app-cache/*' },
      topology,
    );
    await cachePurge.inject(purge, faultContext(main().engine));
    expect(await sh('web-b', 'ls /tmp/app-cache | wc -l')).toBe('0');

    const failing = recordFor(
      cachePurge,
      { kind: 'cache-purge', service: 'web-b', cache: 'command', command: 'echo no such cache >&2; exit 4' },
      topology,
    );
    await expect(cachePurge.inject(failing, faultContext(main().engine))).rejects.toThrow(/exited with code 4: no such cache/);
  });
});
