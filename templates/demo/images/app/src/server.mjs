// The demo's app tier: one instance per region, behind the edge. Plain Node (18 or later),
// node: built-ins only. Configuration comes from the environment:
//   REGION        region this instance serves (required)
//   PORT          HTTP port (8080)
//   CACHE_HOST    the region's cache redis (required)
//   STORE_HOSTS   order store redis servers, comma-separated, primary first (required)
//   CATALOG_TTL   seconds a computed catalog stays cached (300)
import http from 'node:http';
import { hostname } from 'node:os';
import { Catalog } from './catalog.mjs';
import { RedisConnection } from './redis-connection.mjs';
import { createRoutes } from './routes.mjs';
import { StoreCluster } from './store-cluster.mjs';

const region = required('REGION');
const port = Number(process.env.PORT ?? 8080);
const host = hostname();

const cache = new RedisConnection(required('CACHE_HOST'));
const stores = new StoreCluster(
  required('STORE_HOSTS')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
  {
    onPrimaryChange: (name, roles) =>
      log(`order store primary is now ${name ?? 'none'} (${roles.map((r) => `${r.name}=${r.role ?? 'unreachable'}`).join(', ')})`),
  },
);
const catalog = new Catalog(cache, { region, ttlSeconds: Number(process.env.CATALOG_TTL ?? 300) });
const routes = createRoutes({ region, catalog, stores, cache });

const server = http.createServer(async (request, response) => {
  const path = new URL(request.url ?? '/', 'http://app').pathname;
  const handler = routes[`${request.method} ${path}`];
  let answer = { status: 404, body: { error: `no route for ${request.method} ${path}` } };
  if (handler) {
    try {
      answer = await handler(request);
    } catch (error) {
      answer = { status: error.status ?? 500, body: { error: error.message } };
    }
  }
  send(response, answer);
});

/**
 * Every answer names the region and host that served it and when, in the body and headers.
 * Nothing may be cached unless the route says so (the catalog does, for the edge).
 */
function send(response, { status, body, cacheControl = 'no-store' }) {
  const servedAt = new Date().toISOString();
  const payload = JSON.stringify({ region, host, servedAt, ...body });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'cache-control': cacheControl,
    'x-served-by-region': region,
    'x-served-at': servedAt,
  });
  response.end(payload);
}

server.keepAliveTimeout = 5000;
server.listen(port, () => log(`region ${region} listening on :${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`${signal}: closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`app: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

function log(message) {
  console.log(`${new Date().toISOString()} app-${region}: ${message}`);
}
