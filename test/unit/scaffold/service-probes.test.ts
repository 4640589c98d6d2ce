import { describe, expect, it } from 'vitest';
import type { ScaffoldService } from '../../../src/scaffold/compose-services.js';
import { parseDockerfile } from '../../../src/scaffold/dockerfile-facts.js';
import { redisSetup } from '../../../src/scaffold/redis-setup.js';
import { healthcheckPath, probeFor } from '../../../src/scaffold/service-probes.js';
import { imageRepository, softwareOf } from '../../../src/scaffold/service-software.js';

function service(fields: Partial<ScaffoldService> & { name: string }): ScaffoldService {
  return { labels: {}, command: '', entrypoint: '', environment: {}, dependsOn: [], ports: [], mounts: [], profiles: [], ...fields };
}

describe('probeFor', () => {
  it('asks HTTP only of the endpoint an HTTP healthcheck declares, on the port it is published on', () => {
    const web = service({
      name: 'web',
      ports: [{ hostPort: 18080, containerPort: 8080, protocol: 'tcp' }],
      healthcheck: 'curl -fsS http://localhost:8080/healthz',
    });
    expect(probeFor(web, 'other', true)).toMatchObject({ strength: 'http', spec: { kind: 'http', url: 'http://127.0.0.1:18080/healthz' } });
    // A healthcheck on another port than the one published: no URL is guessed, its health is asked.
    const other = service({
      name: 'web',
      ports: [{ hostPort: 18080, containerPort: 8080, protocol: 'tcp' }],
      healthcheck: 'curl http://localhost:9000/ready',
    });
    expect(probeFor(other, 'other', true)).toMatchObject({ strength: 'health', spec: { kind: 'health', service: 'web' } });
    // HTTPS: a probe cannot trust the certificate.
    const tls = service({
      name: 'web',
      ports: [{ hostPort: 18443, containerPort: 443, protocol: 'tcp' }],
      healthcheck: 'curl -k https://localhost/healthz',
    });
    expect(probeFor(tls, 'other', true).strength).toBe('health');
  });

  it('connects over TCP to a published port without a declared endpoint, and says to point it at one', () => {
    const gateway = service({ name: 'gateway', image: 'nginx', ports: [{ hostPort: 18080, containerPort: 80, protocol: 'tcp' }] });
    expect(probeFor(gateway, 'nginx', true)).toMatchObject({
      strength: 'tcp',
      spec: { kind: 'tcp', port: 18080 },
      pointAtEndpoint: '127.0.0.1:18080',
    });
    const postgres = service({ name: 'db', image: 'postgres:16', ports: [{ hostPort: 15432, containerPort: 5432, protocol: 'tcp' }] });
    expect(probeFor(postgres, 'database', true)).toEqual(
      expect.objectContaining({ strength: 'tcp', spec: expect.objectContaining({ port: 15432 }) }),
    );
    expect(probeFor(postgres, 'database', true).pointAtEndpoint).toBeUndefined();
    // DNS over TCP and a game port: connected to, with no HTTP endpoint suggested.
    expect(
      probeFor(service({ name: 'dns', ports: [{ hostPort: 1053, containerPort: 53, protocol: 'tcp' }] }), 'other', true),
    ).toMatchObject({ strength: 'tcp', spec: { port: 1053 } });
    expect(
      probeFor(service({ name: 'dns', ports: [{ hostPort: 1053, containerPort: 53, protocol: 'tcp' }] }), 'other', true).pointAtEndpoint,
    ).toBeUndefined();
    expect(
      probeFor(service({ name: 'game', ports: [{ hostPort: 25565, containerPort: 25565, protocol: 'tcp' }] }), 'other', true)
        .pointAtEndpoint,
    ).toBeUndefined();
    // A UDP port (DNS) is not connected to at all.
    expect(
      probeFor(service({ name: 'dns', ports: [{ hostPort: 1053, containerPort: 53, protocol: 'udp' }] }), 'other', true).strength,
    ).toBe('running');
  });

  it('PINGs a redis only when redis-cli can authenticate', () => {
    const redis = service({ name: 'cache', image: 'redis:7', ports: [{ hostPort: 16379, containerPort: 6379, protocol: 'tcp' }] });
    expect(probeFor(redis, 'redis', true)).toMatchObject({
      strength: 'exec',
      spec: { command: ['redis-cli', 'PING'], expect: { outputContains: 'PONG' } },
    });
    expect(probeFor(redis, 'redis', false)).toMatchObject({ strength: 'tcp', spec: { port: 16379 } });
  });

  it('prefers the service\'s own healthcheck to a guess, and falls back to "running"', () => {
    expect(probeFor(service({ name: 'db', image: 'postgres:16', healthcheck: 'pg_isready' }), 'database', true)).toMatchObject({
      strength: 'health',
      spec: { kind: 'health', service: 'db', expect: { status: 'healthy' } },
    });
    expect(probeFor(service({ name: 'worker', image: 'acme/worker' }), 'other', true)).toMatchObject({
      strength: 'running',
      spec: { kind: 'health', expect: { status: 'running' } },
    });
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

describe('softwareOf', () => {
  it('reads the programs the command starts, looking through shells and exec', () => {
    expect(softwareOf(service({ name: 'x', command: "sh -c 'mkdir -p /var/cache/nginx && exec nginx -g daemon off;'" })).kind).toBe(
      'nginx',
    );
    // An app told where its redis is does not run one; a redis image running python runs python.
    expect(softwareOf(service({ name: 'app', image: 'acme/app', command: 'node server.js --cache-host redis' }))).toEqual({
      kind: 'other',
      basis: 'its command runs node',
    });
    expect(softwareOf(service({ name: 'app', image: 'redis:7', command: 'python3.12 tool.py' })).kind).toBe('other');
    expect(softwareOf(service({ name: 'x', image: 'postgres:16-alpine' }))).toEqual({
      kind: 'database',
      basis: 'its image is postgres:16-alpine',
    });
    expect(softwareOf(service({ name: 'x', image: 'localhost:5000/keydb:6' })).kind).toBe('redis');
  });

  it("names an image's repository without registry, tag or digest", () => {
    expect(imageRepository('docker.io/bitnami/redis:7.2@sha256:abc')).toBe('bitnami/redis');
    expect(imageRepository('mcr.microsoft.com/mssql/server:2022-latest')).toBe('mssql/server');
    expect(imageRepository('localhost:5000/team/app')).toBe('team/app');
    expect(imageRepository('redis')).toBe('redis');
  });
});

describe('parseDockerfile', () => {
  it("takes the final stage's FROM and what it runs", () => {
    const text =
      'FROM node:24 AS build\nCMD ["node", "build.js"]\n# a comment\nFROM --platform=linux/amd64 nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD nginx \\\n  -g "daemon off;"\n';
    expect(parseDockerfile(text)).toEqual({ from: 'nginx:1.27-alpine', runs: '/docker-entrypoint.sh nginx -g "daemon off;"' });
    expect(parseDockerfile('FROM python:3.12\nCOPY nginx.conf /app/\n')).toEqual({ from: 'python:3.12', runs: '' });
  });
});

describe('redisSetup', () => {
  it('reads replication, persistence and passwords from flags, mounted configuration and environment', () => {
    // Without save "", redis snapshots at its default save points.
    expect(redisSetup(service({ name: 'r', command: 'redis-server --replicaof "primary" 6379 --requirepass x' }), [])).toEqual({
      replicaOf: 'primary',
      auth: '--requirepass',
      defaultSnapshots: 'redis saves snapshots unless told --save ""',
      watches: [],
    });
    // A list command joined into a line loses `""`: --save followed by another flag is an empty save.
    expect(redisSetup(service({ name: 'r', command: 'redis-server --save  --appendonly no' }), [])).toEqual({
      keepsNothing: '--save "" and --appendonly no',
      watches: [],
    });
    expect(redisSetup(service({ name: 'r', command: 'redis-server --save 60 1' }), []).persists).toBe('--save 60');
    const conf = { target: '/etc/redis/redis.conf', text: '# cache\nsave 900 1\nrequirepass hunter2\n' };
    expect(redisSetup(service({ name: 'r', command: 'redis-server /etc/redis/redis.conf' }), [conf])).toEqual({
      persists: 'save 900 1 in /etc/redis/redis.conf',
      auth: 'requirepass in /etc/redis/redis.conf',
      watches: [],
    });
    // The command line wins over the file, as in redis.
    expect(redisSetup(service({ name: 'r', command: 'redis-server /etc/redis/redis.conf --save ""' }), [conf]).persists).toBeUndefined();
    expect(redisSetup(service({ name: 'r', command: 'redis-server /usr/local/etc/redis/redis.conf' }), []).unknownConfig).toBe(
      'it reads /usr/local/etc/redis/redis.conf, which comes with its image: init cannot see what it keeps',
    );
    expect(
      redisSetup(
        service({
          name: 'r',
          image: 'bitnami/redis:7.2',
          environment: { REDIS_PASSWORD: 'x', REDIS_REPLICATION_MODE: 'replica', REDIS_MASTER_HOST: 'kv' },
        }),
        [],
      ),
    ).toEqual({
      replicaOf: 'kv',
      auth: 'REDIS_PASSWORD in its environment',
      persists: 'bitnami/redis, whose append-only file is on unless REDIS_AOF_ENABLED=no',
      watches: [],
    });
  });
});
