import { describe, expect, it } from 'vitest';
import type { ScaffoldService } from '../../../src/scaffold/compose-services.js';
import { healthcheckPath, probeFor } from '../../../src/scaffold/service-probes.js';
import { redisLooksLikeCache, softwareOf, statefulBecause } from '../../../src/scaffold/service-traits.js';

function service(fields: Partial<ScaffoldService> & { name: string }): ScaffoldService {
  return { labels: {}, command: '', ports: [], mounts: [], profiles: [], ...fields };
}

describe('probeFor', () => {
  it('asks HTTP of a published port, on the path of an HTTP healthcheck aimed at that port', () => {
    const web = service({ name: 'web', ports: [{ hostPort: 18080, containerPort: 8080, protocol: 'tcp' }], healthcheck: 'curl -fsS http://localhost:8080/healthz' });
    expect(probeFor(web)).toMatchObject({ strength: 'http', spec: { kind: 'http', url: 'http://127.0.0.1:18080/healthz' } });
    const other = service({ name: 'web', ports: [{ hostPort: 18080, containerPort: 8080, protocol: 'tcp' }], healthcheck: 'curl http://localhost:9000/ready' });
    expect(probeFor(other)).toMatchObject({ strength: 'http', spec: { url: 'http://127.0.0.1:18080/' } });
  });

  it('does not speak HTTP to data stores and TLS or database ports', () => {
    const redis = service({ name: 'cache', image: 'redis:7', ports: [{ hostPort: 6379, containerPort: 6379, protocol: 'tcp' }] });
    expect(probeFor(redis)).toMatchObject({ strength: 'exec', spec: { kind: 'exec', service: 'cache', command: ['redis-cli', 'PING'], expect: { outputContains: 'PONG' } } });
    const tls = service({ name: 'proxy', image: 'haproxy', ports: [{ hostPort: 8443, containerPort: 443, protocol: 'tcp' }] });
    expect(probeFor(tls)).toMatchObject({ strength: 'tcp', spec: { kind: 'tcp', port: 8443 } });
    const postgres = service({ name: 'db', image: 'postgres:16', ports: [{ hostPort: 15432, containerPort: 5432, protocol: 'tcp' }] });
    expect(probeFor(postgres)).toMatchObject({ strength: 'tcp', spec: { port: 15432 } });
  });

  it('prefers the service\'s own healthcheck to a guess, and falls back to "running"', () => {
    expect(probeFor(service({ name: 'db', image: 'postgres:16', healthcheck: 'pg_isready' }))).toMatchObject({ strength: 'health', spec: { kind: 'health', service: 'db', expect: { status: 'healthy' } } });
    expect(probeFor(service({ name: 'worker', image: 'acme/worker' }))).toMatchObject({ strength: 'running', spec: { kind: 'health', expect: { status: 'running' } } });
  });
});

describe('healthcheckPath', () => {
  it('takes the path only when the check aims at the published container port (80 by default)', () => {
    expect(healthcheckPath('curl -fsS -o /dev/null http://127.0.0.1/edge/healthz', 80)).toBe('/edge/healthz');
    expect(healthcheckPath('wget -qO- http://localhost:3000', 3000)).toBe('/');
    expect(healthcheckPath('wget -qO- http://localhost:3000/x', 80)).toBeUndefined();
    expect(healthcheckPath('pg_isready', 5432)).toBeUndefined();
  });
});

describe('service traits', () => {
  it('tells the software from the image, the build context, or the programs the command starts', () => {
    expect(softwareOf(service({ name: 'x', image: 'bitnami/redis:7' }))).toBe('redis');
    expect(softwareOf(service({ name: 'x', buildContext: '/srv/images/redis' }))).toBe('redis');
    expect(softwareOf(service({ name: 'x', command: "sh -c 'mkdir -p /var/cache/nginx && exec nginx -g daemon off;'" }))).toBe('nginx');
    expect(softwareOf(service({ name: 'x', image: 'postgres:16-alpine' }))).toBe('database');
    // An app told where its redis is does not run one.
    expect(softwareOf(service({ name: 'app', image: 'acme/app', command: 'node server.js --cache-host redis' }))).toBe('other');
  });

  it('calls a service stateful when it runs a data store or writes to a volume', () => {
    expect(statefulBecause(service({ name: 'db', image: 'mysql:8' }))).toBe('it runs a data store (a database)');
    expect(statefulBecause(service({ name: 'up', mounts: [{ kind: 'volume', source: 'uploads', target: '/srv/uploads', readOnly: false }] }))).toBe('it writes to /srv/uploads');
    expect(statefulBecause(service({ name: 'web', mounts: [{ kind: 'bind', source: '/x/site.conf', target: '/etc/nginx/conf.d/site.conf', readOnly: true }, { kind: 'tmpfs', target: '/tmp', readOnly: false }] }))).toBeUndefined();
  });

  it('purges only a redis that looks like a cache', () => {
    expect(redisLooksLikeCache(service({ name: 'session-cache', image: 'redis', command: 'redis-server --appendonly yes' }))).toBe(true);
    expect(redisLooksLikeCache(service({ name: 'redis', image: 'redis', command: 'redis-server --maxmemory-policy allkeys-lru --appendonly yes' }))).toBe(true);
    expect(redisLooksLikeCache(service({ name: 'redis', image: 'redis' }))).toBe(true);
    expect(redisLooksLikeCache(service({ name: 'store', image: 'redis', command: 'redis-server --appendonly yes' }))).toBe(false);
    expect(redisLooksLikeCache(service({ name: 'queue', image: 'redis', mounts: [{ kind: 'volume', source: 'q', target: '/data', readOnly: false }] }))).toBe(false);
  });
});
