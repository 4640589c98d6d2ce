import { z } from 'zod';
import { command, serviceName } from '../spec/common.js';
import { serviceContainers } from '../topology/topology.js';
import { applyToAll, pinRunning } from './mechanisms/container-modes.js';
import { faultCommonFields } from './fault-common.js';
import type { Fault, FaultContext, FaultTarget } from './fault.js';

export const cachePurgeSchema = z
  .strictObject({
    kind: z.literal('cache-purge'),
    ...faultCommonFields,
    service: serviceName,
    /** redis: FLUSHALL; nginx: empty the proxy cache directory and reload; command: run `command`. */
    cache: z.enum(['redis', 'nginx', 'command']),
    /** nginx only: the proxy_cache_path directory. */
    path: z.string().startsWith('/').default('/var/cache/nginx'),
    /** command only. */
    command: command.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.cache === 'command' && !spec.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'cache: command needs a `command` to run' });
    }
    if (spec.cache !== 'command' && spec.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: `\`command\` only applies to cache: command, not cache: ${spec.cache}` });
    }
  });
export type CachePurgeSpec = z.output<typeof cachePurgeSchema>;

/** A purge that takes longer than this is reported as failed (the command may still finish). */
const PURGE_TIMEOUT_MS = 60_000;

/**
 * Empties the cache directory's contents (not the directory, which nginx owns) and reloads
 * nginx so that it forgets the keys it holds in memory. The path is passed as an argument,
 * never spliced into the script.
 */
const NGINX_PURGE_SCRIPT = [
  'set -e',
  'if [ ! -d "$1" ]; then echo "cache directory $1 does not exist" >&2; exit 3; fi',
  'find "$1" -mindepth 1 -delete',
  'nginx -s reload',
].join('\n');

function purgeCommand(spec: CachePurgeSpec): string[] {
  switch (spec.cache) {
    case 'redis':
      return ['redis-cli', 'FLUSHALL'];
    case 'nginx':
      return ['sh', '-c', NGINX_PURGE_SCRIPT, 'firedrill-purge', spec.path];
    case 'command':
      return spec.command ?? [];
  }
}

/** What the purge was, in words, for people and for error messages. */
function purgeWords(spec: CachePurgeSpec): string {
  switch (spec.cache) {
    case 'redis':
      return '`redis-cli FLUSHALL`';
    case 'nginx':
      return `empty ${spec.path} and \`nginx -s reload\``;
    case 'command':
      return `\`${(spec.command ?? []).join(' ')}\``;
  }
}

async function purgeOne(spec: CachePurgeSpec, target: FaultTarget, ctx: FaultContext): Promise<void> {
  const result = await ctx.engine.exec(target.containerId, purgeCommand(spec), { signal: ctx.signal, timeoutMs: PURGE_TIMEOUT_MS });
  const output = `${result.stdout}\n${result.stderr}`.trim();
  if (result.exitCode !== 0) {
    throw new Error(`${purgeWords(spec)} exited with code ${result.exitCode}${output ? `: ${lastLines(output)}` : ''}`);
  }
  // redis-cli exits 0 even when the server answers an error (NOAUTH, READONLY …).
  if (spec.cache === 'redis' && result.stdout.trim() !== 'OK') {
    throw new Error(`redis answered ${JSON.stringify(lastLines(output) || '(nothing)')} to FLUSHALL instead of OK`);
  }
}

function lastLines(text: string): string {
  return text.split('\n').slice(-5).join(' / ').slice(0, 500);
}

/**
 * Purges the cache of every container of a service: redis FLUSHALL, an nginx proxy cache, or
 * a command of the playbook's. A purge cannot be undone; the drill measures how the system
 * copes with a cold cache.
 */
export const cachePurge: Fault<CachePurgeSpec, typeof cachePurgeSchema> = {
  kind: 'cache-purge',
  schema: cachePurgeSchema,
  revertible: false,

  describe: (spec) =>
    spec.cache === 'command'
      ? `purge the cache of service ${spec.service} with ${purgeWords(spec)}`
      : `purge the ${spec.cache} cache of service ${spec.service} (${purgeWords(spec)})`,

  targets: (spec, topology) => pinRunning(serviceContainers(topology, spec.service), topology, `cache-purge of service "${spec.service}"`),

  plan: (record) =>
    record.targets.map((target) => ({
      apply: `${purgeWords(record.spec)} in container ${target.name} (service ${target.service})`,
    })),

  inject: (record, ctx) =>
    applyToAll(record.targets, `cache-purge of service ${record.spec.service}`, (target) => purgeOne(record.spec, target, ctx)),

  revert: async () => ({
    verified: true,
    done: ['cache purge cannot be undone; nothing to revert'],
    problems: [],
    manual: [],
  }),
};
