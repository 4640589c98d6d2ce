import { joinWords } from '../playbook/did-you-mean.js';
import {
  entryService,
  header,
  idOr,
  probeWords,
  render,
  steadyState,
  topology,
  uniqueProbes,
  waitStep,
  type StarterContext,
  type StarterOutcome,
  type StarterService,
} from './starter-common.js';
import { redisLooksLikeCache } from './service-traits.js';
import { commented, folded, type YamlMap } from './yaml-text.js';

/** A drill that empties more caches than this at once is one to write by hand. */
const MAX_PURGES = 6;

interface Purge {
  entry: StarterService;
  /** What is emptied, for people: "cache-a (redis)". */
  words: string;
  stepName: string;
  /** The inject spec without its id (given once every purge is known, so that fallbacks are unique). */
  inject: YamlMap;
  preferredId: string;
  comment: string;
}

/**
 * `cache-purge.yaml`: every cache found is emptied at once — a redis that looks like a cache
 * (FLUSHALL), an nginx proxy cache (its directory emptied, nginx reloaded), a memcached
 * (restarted: it keeps everything in memory) — and the drill times how long until customers
 * are served again, through the entry point when there is one.
 */
export function cachePurgeStarter(ctx: StarterContext): { outcome: StarterOutcome; notes: string[] } {
  const redisCaches = new Set(ctx.services.filter((entry) => entry.software === 'redis' && redisLooksLikeCache(entry.service)));
  const notes = ctx.services
    .filter((entry) => entry.software === 'redis' && !redisCaches.has(entry))
    .map((entry) => `${entry.service.name} runs redis but keeps its data (it persists or mounts a volume): cache-purge.yaml leaves it alone`);
  const purges = ctx.services.flatMap((entry) => purgesOf(entry, redisCaches.has(entry))).slice(0, MAX_PURGES);
  const first = purges[0];
  if (!first) return { outcome: { skipped: 'no cache was found: no redis used as a cache, no memcached, no nginx with a proxy_cache_path' }, notes };

  const entry = entryService(ctx);
  const watched = entry ?? first.entry;
  const file = 'cache-purge.yaml';
  const purged = purges.map((purge) => purge.words);
  const playbook = {
    version: 1,
    name: 'cache-purge',
    title: purges.length === 1 ? 'A cache is emptied' : 'The caches are emptied',
    summary: folded(
      `We empty ${joinWords(purged)} at once, as a deployment or a cache failure would. ` +
        ` We measure how long it takes until ${watched.service.name} answers again with cold caches.`,
    ),
    topology: topology(ctx, false),
    objectives: { rto: commented('from the last purge until the last wait step held', '30s') },
    steadyState: steadyState(uniqueProbes([entry, ...purges.map((purge) => purge.entry)]), '1m', 'Must hold before the drill, and again after it.'),
    steps: [
      ...purges.map((purge, index) => commented(purge.comment, { name: purge.stepName, inject: { kind: purge.inject.kind, id: idOr(purge.preferredId, `purge-${index + 1}`), ...purge.inject } })),
      waitStep(probeWords(watched, 'holds'), watched.probe, { every: '250ms', consecutive: 3, timeout: '1m', rto: '10s' }, 'Measured from the last purge; the first requests pay for the empty caches.'),
    ],
    timeLimit: commented('the drill is aborted, and rolled back, past this', '5m'),
  };
  const about = [`Empties ${joinWords(purged)} and times how long until ${probeWords(watched, 'holds')} with cold caches.`, 'A purge cannot be undone: only caches whose loss is a drill, not data loss, are emptied.'];
  return { outcome: { playbook: { file, content: render(header(ctx, file, about), playbook), about: `empties ${joinWords(purged)}` } }, notes };
}

/** What emptying `entry` takes; `redisCache` when it is a redis that looks like a cache (redisLooksLikeCache). */
function purgesOf(entry: StarterService, redisCache: boolean): Purge[] {
  const name = entry.service.name;
  if (redisCache) {
    const inject = { kind: 'cache-purge', service: name, cache: 'redis' };
    return [{ entry, words: `${name} (redis)`, stepName: `Empty ${name}`, inject, preferredId: `${name}-purge`, comment: `FLUSHALL deletes every key in ${name}.` }];
  }
  if (entry.software === 'memcached') {
    const inject = { kind: 'service', service: name, mode: 'restart' };
    return [{ entry, words: `${name} (memcached)`, stepName: `Empty ${name}`, inject, preferredId: `${name}-restart`, comment: 'memcached keeps everything in memory, so a restart empties it.' }];
  }
  return entry.nginxCaches.map((path, index) => ({
    entry,
    words: `${name}'s nginx cache in ${path}`,
    stepName: `Empty ${name}'s cache in ${path}`,
    inject: { kind: 'cache-purge', service: name, cache: 'nginx', path },
    preferredId: `${name}-cache${index === 0 ? '' : `-${index + 1}`}-purge`,
    comment: `proxy_cache_path ${path} in ${name}'s nginx configuration: emptied, then nginx -s reload.`,
  }));
}
