import { RedisConnection } from './redis-connection.mjs';

/** How long a discovered primary is trusted before it is asked for again. */
const PRIMARY_MAX_AGE_MS = 2000;

/**
 * The replicated order store: redis servers of which one (normally store-a) is the primary
 * and the others replicate it. Writes follow a promotion: the primary is whichever server
 * says role:master in INFO replication. When two say so (a restarted primary comes back
 * empty, as a master, next to the promoted replica), the one with the larger replication
 * offset wins, since it holds the data; on a tie the first one listed wins.
 */
export class StoreCluster {
  #primary = null;
  #primaryAt = 0;
  #discovery = null;

  constructor(names, { onPrimaryChange = () => {} } = {}) {
    this.servers = names.map((name) => ({ name, connection: new RedisConnection(name) }));
    this.onPrimaryChange = onPrimaryChange;
  }

  /**
   * Runs a command on the primary. When it fails (no connection, or READONLY because the
   * server was demoted) the primary is looked up again and the command retried once.
   * Rejects with NoPrimaryError when no server is a writable primary.
   */
  async onPrimary(...args) {
    const first = await this.primary();
    try {
      return { server: first.name, reply: await first.connection.command(...args) };
    } catch {
      this.#forget(first);
      const second = await this.primary();
      return { server: second.name, reply: await second.connection.command(...args) };
    }
  }

  /** The current primary; discovered when unknown or stale, one discovery at a time. */
  async primary() {
    if (this.#primary && Date.now() - this.#primaryAt < PRIMARY_MAX_AGE_MS) return this.#primary;
    this.#discovery ??= this.#discover().finally(() => {
      this.#discovery = null;
    });
    return this.#discovery;
  }

  /** Each server's replication role, as it answers now (for /api/status). */
  roles() {
    return Promise.all(this.servers.map((server) => describe(server)));
  }

  async #discover() {
    const roles = await this.roles();
    const masters = roles
      .map((role, index) => ({ ...role, index }))
      .filter((role) => role.role === 'master')
      .sort((a, b) => b.offset - a.offset || a.index - b.index);
    const chosen = masters.length > 0 ? this.servers[masters[0].index] : null;
    if (chosen?.name !== this.#primary?.name) this.onPrimaryChange(chosen?.name ?? null, roles);
    this.#primary = chosen;
    this.#primaryAt = Date.now();
    if (!chosen) throw new NoPrimaryError(roles);
    return chosen;
  }

  #forget(server) {
    if (this.#primary === server) this.#primary = null;
  }
}

export class NoPrimaryError extends Error {
  constructor(roles) {
    const seen = roles.map((r) => `${r.name}: ${r.role ?? r.error}`).join(', ');
    super(`no store is a writable primary (${seen})`);
    this.name = 'NoPrimaryError';
    this.roles = roles;
  }
}

async function describe(server) {
  try {
    const info = parseInfo(await server.connection.command('INFO', 'replication'));
    return { name: server.name, role: info.role, offset: Number(info.master_repl_offset ?? 0), link: info.master_link_status };
  } catch (error) {
    return { name: server.name, role: null, error: error.message };
  }
}

/** INFO's "key:value" lines as an object. */
function parseInfo(text) {
  const fields = {};
  for (const line of String(text).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
