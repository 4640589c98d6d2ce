import type { ScaffoldService } from './compose-services.js';

/**
 * Signs in a service's own definition that it keeps state: a name or a role label that says
 * so (db, store, ledger, primary …), and mounts it can write to that outlive its container;
 * and the sign that it is a cache: a name or role label that says so.
 */

/** Words in a name or role that say "this keeps data". */
const DATA_WORDS = new Set([
  'db',
  'database',
  'datastore',
  'store',
  'storage',
  'ledger',
  'primary',
  'master',
  'replica',
  'slave',
  'secondary',
  'standby',
  'data',
  'persistence',
  'persistent',
  'persist',
  'vault',
]);

/** Label keys that give a service's role: `role`, `com.acme.role`, `app.tier` … */
const ROLE_KEY = /(^|[./-])(role|tier|type|component|kind)$/i;

/** Why its name or a role label says it keeps data; undefined when neither does. */
export function nameSaysData(service: ScaffoldService): string | undefined {
  const word = words(service.name).find((token) => DATA_WORDS.has(token));
  if (word) return `its name says "${word}"`;
  for (const [key, value] of Object.entries(service.labels)) {
    if (!ROLE_KEY.test(key)) continue;
    const role = words(value).find((token) => DATA_WORDS.has(token));
    if (role) return `its label ${key}=${value} says so`;
  }
  return undefined;
}

/** Why its name or a role label says it is a cache (`cache`, `rates-cache`, `cache_eu`, `role=cache`); undefined when neither does. */
export function nameSaysCache(service: ScaffoldService): string | undefined {
  if (words(service.name).includes('cache')) return 'its name says "cache"';
  const label = Object.entries(service.labels).find(([key, value]) => ROLE_KEY.test(key) && words(value).includes('cache'));
  return label ? `its label ${label[0]}=${label[1]} says so` : undefined;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** Mounts it can write to that outlive its container (volumes and bind mounts, not tmpfs), minus those `except` names. */
export function writableMounts(service: ScaffoldService, except: readonly string[] = []): string[] {
  return service.mounts
    .filter((mount) => mount.kind !== 'tmpfs' && !mount.readOnly)
    .map((mount) => mount.target)
    .filter((target) => !except.some((path) => target === path || path.startsWith(`${target.replace(/\/+$/, '')}/`)));
}
