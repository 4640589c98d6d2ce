import { setTimeout as sleep } from 'node:timers/promises';

const CACHE_KEY = 'catalog:v1';

/**
 * The product catalog, cache-aside: read the region's cache; on a miss compute it the slow
 * way (a simulated database query of 200–400 ms) and store it for `ttlSeconds`.
 * The result says where it came from: "hit", "miss", or "bypass" when the cache could not
 * be reached (the catalog is then computed on every request, slowly but correctly).
 */
export class Catalog {
  constructor(cache, { region, ttlSeconds = 300, minMs = 200, maxMs = 400 }) {
    this.cache = cache;
    this.region = region;
    this.ttlSeconds = ttlSeconds;
    this.minMs = minMs;
    this.maxMs = maxMs;
  }

  async read() {
    let cacheReachable = true;
    try {
      const cached = await this.cache.command('GET', CACHE_KEY);
      if (cached !== null) return { cache: 'hit', ...JSON.parse(cached) };
    } catch {
      cacheReachable = false;
    }
    const fresh = await this.#compute();
    if (cacheReachable) {
      // Storing is best effort: a failure here costs the next reader a slow read, nothing more.
      this.cache.command('SET', CACHE_KEY, JSON.stringify(fresh), 'EX', this.ttlSeconds).catch(() => {});
    }
    return { cache: cacheReachable ? 'miss' : 'bypass', ...fresh };
  }

  async #compute() {
    const started = Date.now();
    await sleep(this.minMs + Math.random() * (this.maxMs - this.minMs));
    return {
      computedBy: this.region,
      computedAt: new Date().toISOString(),
      computeMs: Date.now() - started,
      items: PRODUCTS,
    };
  }
}

const PRODUCTS = [
  { sku: 'FD-100', name: 'Smoke detector', priceCents: 1999 },
  { sku: 'FD-200', name: 'Fire extinguisher, 2 kg', priceCents: 3450 },
  { sku: 'FD-300', name: 'Fire blanket', priceCents: 1275 },
  { sku: 'FD-400', name: 'Escape ladder, 2 storeys', priceCents: 6900 },
  { sku: 'FD-500', name: 'Emergency torch', priceCents: 1590 },
];
