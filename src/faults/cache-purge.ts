import { z } from 'zod';
import { command, identifier, serviceName } from '../playbook/common.js';

export const cachePurgeSchema = z.strictObject({
  kind: z.literal('cache-purge'),
  id: identifier.optional(),
  service: serviceName,
  /** redis: FLUSHALL; nginx: empty the proxy cache directory and reload; command: run `command`. */
  cache: z.enum(['redis', 'nginx', 'command']),
  /** nginx only: the proxy_cache_path directory. */
  path: z.string().startsWith('/').default('/var/cache/nginx'),
  /** command only. */
  command: command.optional(),
}).superRefine((spec, ctx) => {
  if (spec.cache === 'command' && !spec.command) {
    ctx.addIssue({ code: 'custom', path: ['command'], message: 'cache: command needs a `command` to run' });
  }
  if (spec.cache !== 'command' && spec.command) {
    ctx.addIssue({ code: 'custom', path: ['command'], message: `\`command\` only applies to cache: command, not cache: ${spec.cache}` });
  }
});
export type CachePurgeSpec = z.output<typeof cachePurgeSchema>;
