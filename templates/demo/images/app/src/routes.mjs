import { randomBytes } from 'node:crypto';
import { NoPrimaryError } from './store-cluster.mjs';

/**
 * The app's HTTP endpoints. Each handler returns { status, body, cacheControl? }; server.mjs adds the
 * serving region, host and timestamp to every body and sends it as JSON.
 */
export function createRoutes({ region, catalog, stores, cache }) {
  return {
    'GET /healthz': async () => ({ status: 200, body: { status: 'ok' } }),

    'GET /api/region': async () => ({ status: 200, body: {} }),

    // The edge may keep a catalog for 10 s; the region's cache keeps it longer.
    'GET /api/catalog': async () => ({ status: 200, body: await catalog.read(), cacheControl: 'public, max-age=10' }),

    'POST /api/orders': async (request) => {
      const details = await readOrder(request);
      const id = `${region}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const order = { id, ...details, acceptedBy: region, acceptedAt: new Date().toISOString() };
      return withStore(async () => {
        const { server } = await stores.onPrimary('HSET', 'orders', id, JSON.stringify(order));
        return { status: 201, body: { order, store: server } };
      });
    },

    'GET /api/orders/count': async () =>
      withStore(async () => {
        const { server, reply } = await stores.onPrimary('HLEN', 'orders');
        return { status: 200, body: { count: reply, store: server } };
      }),

    'GET /api/status': async () => {
      const [roles, cacheState] = await Promise.all([
        stores.roles(),
        cache.command('PING').then(
          () => 'up',
          (e) => `down: ${e.message}`,
        ),
      ]);
      return { status: 200, body: { cache: cacheState, stores: roles } };
    },
  };
}

/** Store trouble is the service being unavailable for writes: 503, with the reason. */
async function withStore(work) {
  try {
    return await work();
  } catch (error) {
    const reason = error instanceof NoPrimaryError ? error.message : `the order store did not answer: ${error.message}`;
    return { status: 503, body: { error: reason } };
  }
}

const MAX_BODY_BYTES = 16 * 1024;

/** An order's details from the request body: optional JSON with `item` and `quantity`. */
async function readOrder(request) {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > MAX_BODY_BYTES) throw Object.assign(new Error('order body too large'), { status: 413 });
  }
  if (text.trim() === '') return { item: 'FD-100', quantity: 1 };
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw Object.assign(new Error('order body is not JSON'), { status: 400 });
  }
  const item = typeof parsed.item === 'string' ? parsed.item.slice(0, 64) : 'FD-100';
  const quantity = Number.isInteger(parsed.quantity) && parsed.quantity > 0 ? parsed.quantity : 1;
  return { item, quantity };
}
