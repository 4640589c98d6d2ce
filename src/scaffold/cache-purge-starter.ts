import { joinWords } from '../playbook/did-you-mean.js';
import type { LeftOut } from './left-out.js';
import { sharingWords } from './namespace-sharing.js';
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
  comment: string[];
}

/** A service's purges, or why it has none. */
type PurgeDecision = { purges: Purge[] } | { refused: string };

/**
 * `cache-purge.yaml`: every cache found is emptied at once — a redis with a sign that it is a
 * cache and none that it may hold data (FLUSHALL), an nginx proxy cache (its directory emptied,
 * nginx reloaded), a memcached (restarted: it keeps everything in memory) — and the drill
 * times how long until customers are served again, through the entry point when there is
 * one. A purge cannot be undone, so a redis is emptied only on a positive sign (its name or
 * role, a CACHE_… variable that names it, a cache's eviction policy, nothing kept on disk),
 * anything that may hold data is left alone unless the user named it a cache, and every
 * service left out is listed with the reason.
 */
export function cachePurgeStarter(ctx: StarterContext): StarterOutcome {
  const leftOut: LeftOut[] = [];
  const purges: Purge[] = [];
  for (const entry of ctx.services) {
    const decision = purgeDecision(entry);
    if ('refused' in decision) {
      leftOut.push({ service: entry.service.name, reason: decision.refused });
    } else if (purges.length + decision.purges.length > MAX_PURGES) {
      leftOut.push({
        service: entry.service.name,
        reason: `a cache, but one drill empties at most ${MAX_PURGES}: copy this starter to empty it`,
      });
    } else {
      purges.push(...decision.purges);
    }
  }
  const first = purges[0];
  if (!first)
    return {
      skipped:
        'no cache that may be emptied was found (no redis that holds nothing but cache, no memcached, no nginx with a proxy_cache_path)',
      leftOut,
    };

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
    steadyState: steadyState(
      uniqueProbes([entry, ...purges.map((purge) => purge.entry)]),
      '1m',
      'Must hold before the drill, and again after it.',
    ),
    steps: [
      ...purges.map((purge, index) =>
        commented(purge.comment, {
          name: purge.stepName,
          inject: { kind: purge.inject.kind, id: idOr(purge.preferredId, `purge-${index + 1}`), ...purge.inject },
        }),
      ),
      waitStep(
        probeWords(watched, 'holds'),
        watched.probe,
        { every: '250ms', consecutive: 3, timeout: '1m', rto: '10s' },
        'Measured from the last purge; the first requests pay for the empty caches.',
      ),
    ],
    timeLimit: commented('the drill is aborted, and rolled back, past this', '5m'),
  };
  const about = [
    `Empties ${joinWords(purged)} and times how long until ${probeWords(watched, 'holds')} with cold caches.`,
    'A purge cannot be undone: a redis is emptied only when something says it is a cache (its name or role, a CACHE_… ' +
      'variable that names it, an LRU/LFU eviction policy, nothing kept on disk) and nothing says it may hold data — it does not ' +
      "replicate, persist, belong to a cluster or a sentinel setup, and is no broker, store or application's only store — " +
      'unless you named it a cache (firedrill init --cache).',
  ];
  return {
    playbook: { file, content: render(header(ctx, file, about, leftOut), playbook), about: `empties ${joinWords(purged)}` },
    leftOut,
  };
}

function purgeDecision(entry: StarterService): PurgeDecision {
  switch (entry.software.kind) {
    case 'redis':
      return redisPurge(entry);
    case 'memcached':
      return memcachedPurge(entry);
    case 'nginx':
      return nginxPurges(entry);
    case 'database':
      return { refused: `not a cache: it runs a database (${entry.software.basis})` };
    case 'other':
      return entry.namedCache
        ? {
            refused: `named a cache with --cache, but it runs neither redis, memcached nor nginx (${entry.software.basis}): empty it with cache: command, written by hand`,
          }
        : { refused: `not a cache: ${entry.software.basis}` };
  }
}

function redisPurge(entry: StarterService): PurgeDecision {
  const name = entry.service.name;
  const setup = entry.redis;
  if (setup?.replicaOf)
    return { refused: `a replica of ${setup.replicaOf}: it refuses FLUSHALL (READONLY), and emptying its primary empties it too` };
  if (!entry.namedCache && entry.holdsData.length > 0)
    return { refused: `it may hold data: ${entry.holdsData.join('; ')} (firedrill init --cache ${name} if it is only a cache)` };
  if (!entry.namedCache && entry.cacheSigns.length === 0)
    return { refused: `no sign that it is only a cache (name it with --cache ${name} if it is)` };
  if (setup?.auth && !setup.authReady) {
    return {
      refused: `FLUSHALL needs its password (${setup.auth}), and its environment has no REDISCLI_AUTH for redis-cli: set REDISCLI_AUTH in its environment to have it emptied`,
    };
  }
  const why = entry.namedCache
    ? 'named a cache with --cache'
    : `it is a cache (${entry.cacheSigns.join('; ')}), and nothing says it may hold data`;
  const comment = [`FLUSHALL deletes every key in ${name}: ${why}.`];
  if (setup?.auth)
    comment.push(`It asks for a password (${setup.auth}): redis-cli authenticates with the REDISCLI_AUTH of its environment.`);
  const inject = { kind: 'cache-purge', service: name, cache: 'redis' };
  return { purges: [{ entry, words: `${name} (redis)`, stepName: `Empty ${name}`, inject, preferredId: `${name}-purge`, comment }] };
}

function memcachedPurge(entry: StarterService): PurgeDecision {
  const name = entry.service.name;
  const dependants = entry.namespaceDependants;
  if (dependants.length > 0)
    return { refused: `emptied by a restart, but ${sharingWords(name, dependants, 'its')} and would be left on a dead one` };
  if (!entry.namedCache && entry.holdsData.length > 0)
    return { refused: `it may hold data: ${entry.holdsData.join('; ')} (firedrill init --cache ${name} if it is only a cache)` };
  const inject = { kind: 'service', service: name, mode: 'restart' };
  const comment = [`memcached keeps everything in memory, so a restart empties it (${entry.software.basis}).`];
  return { purges: [{ entry, words: `${name} (memcached)`, stepName: `Empty ${name}`, inject, preferredId: `${name}-restart`, comment }] };
}

function nginxPurges(entry: StarterService): PurgeDecision {
  const name = entry.service.name;
  if (entry.nginxCaches.length === 0) {
    return {
      refused: `runs nginx (${entry.software.basis}), but no proxy_cache_path was found in the configuration init reads (the .conf files mounted into it and in its build context)`,
    };
  }
  return {
    purges: entry.nginxCaches.map((path, index) => ({
      entry,
      words: `${name}'s nginx cache in ${path}`,
      stepName: `Empty ${name}'s cache in ${path}`,
      inject: { kind: 'cache-purge', service: name, cache: 'nginx', path },
      preferredId: `${name}-cache${index === 0 ? '' : `-${index + 1}`}-purge`,
      comment: [`proxy_cache_path ${path} in ${name}'s nginx configuration (${entry.software.basis}): emptied, then nginx -s reload.`],
    })),
  };
}
