import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Test support: throw-away project directories holding a compose file (and whatever else a
 * test needs beside it), removed after the file's tests.
 */
export function useProjectDirs(): (files: Record<string, string>, name?: string) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (files, name = 'shop') => {
    const root = await mkdtemp(join(tmpdir(), 'firedrill-init-'));
    made.push(root);
    const dir = join(root, name);
    await mkdir(dir);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  };
}

/** Regions from service names, an entry point with a health endpoint, an nginx cache, a cache, a database. */
export const SUGGESTED_REGIONS_COMPOSE = `
services:
  gateway:
    image: nginx:1.27
    ports: ["127.0.0.1:18090:80"]
    volumes: ["./gateway.conf:/etc/nginx/conf.d/default.conf:ro"]
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://localhost/healthz"]
  api-a:
    build: ./api
    healthcheck:
      test: ["CMD", "node", "healthcheck.js"]
  api-b:
    build: ./api
    healthcheck:
      test: ["CMD", "node", "healthcheck.js"]
  db:
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
  cache:
    image: redis:7
    command: ["redis-server", "--save", "", "--maxmemory-policy", "allkeys-lru"]
volumes:
  pgdata: {}
`;

export const GATEWAY_CONF = `
proxy_cache_path /var/cache/nginx/api levels=1:2 keys_zone=api:10m;
server { listen 80; location / { proxy_pass http://api-a:3000; proxy_cache api; } }
`;

/** No labels, no pattern in the names. */
export const NO_REGIONS_COMPOSE = `
name: Shop_Prod
services:
  web:
    image: acme/web:1
    ports: ["8080:8080"]
  worker:
    image: acme/worker:1
  db:
    image: postgres:16
    volumes: ["data:/var/lib/postgresql/data"]
volumes:
  data: {}
`;
