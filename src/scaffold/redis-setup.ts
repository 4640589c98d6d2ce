import { readSourceFile } from '../yaml/source-file.js';
import type { ScaffoldService } from './compose-services.js';
import { imageRepository, programs } from './service-software.js';

/**
 * How a redis is set up, from its command line (with the flags an image takes from its
 * environment, as redis-stack's REDIS_ARGS), the configuration files mounted into it and its
 * environment: whether it replicates, persists, is a cluster node or a sentinel, asks for a
 * password, reads a configuration init cannot see, or is configured as a cache. Each fact is
 * kept as the words that say where it was found.
 */

export interface RedisSetup {
  /** The host it replicates from (--replicaof, replicaof in its configuration, REDIS_MASTER_HOST). */
  replicaOf?: string;
  /** Where persistence is switched on: "--appendonly yes", "save 60 1000 in /etc/redis/redis.conf". */
  persists?: string;
  /** Nothing switches snapshots off, so redis takes them (its default save points): why that persists. */
  defaultSnapshots?: string;
  /** Where it is made a node of a redis cluster: "--cluster-enabled yes". */
  cluster?: string;
  /** Where it is made a sentinel: "--sentinel", "its command runs redis-sentinel". */
  sentinel?: string;
  /** The primaries it watches, as a sentinel: host and where that is said. */
  watches: { host: string; where: string }[];
  /** Where it is told to evict keys as a cache does: "--maxmemory-policy allkeys-lru". */
  evicts?: string;
  /** Where both snapshots and the append-only file are switched off: '--save "" and --appendonly no'. */
  keepsNothing?: string;
  /** A configuration init cannot read, so that what it keeps is unknown. */
  unknownConfig?: string;
  /** Where a password is asked for: "--requirepass", "REDIS_PASSWORD in its environment". */
  auth?: string;
}

/** A configuration file mounted into a service: its text, or why it could not be read. */
export interface MountedConfig {
  target: string;
  text?: string;
  problem?: string;
}

const MAX_CONFIG_BYTES = 256 * 1024;

/** The `.conf` files bind-mounted into a service (and any file its command names), read. */
export async function mountedConfigs(service: ScaffoldService): Promise<MountedConfig[]> {
  const named = new Set(configPathsInCommand(service));
  const configs: MountedConfig[] = [];
  for (const mount of service.mounts) {
    if (mount.kind !== 'bind' || !(mount.target.endsWith('.conf') || named.has(mount.target))) continue;
    if (mount.source === undefined) {
      configs.push({ target: mount.target, problem: 'its source depends on a variable or a home directory' });
      continue;
    }
    const source = await readSourceFile(mount.source, MAX_CONFIG_BYTES);
    configs.push(
      source.ok ? { target: mount.target, text: source.text } : { target: mount.target, problem: `${mount.source} ${source.problem}` },
    );
  }
  return configs;
}

/** Images that take redis-server flags from an environment variable. */
const FLAGS_FROM_ENVIRONMENT: Record<string, string> = {
  'redis-stack': 'REDIS_ARGS',
  'redis-stack-server': 'REDIS_ARGS',
  redis: 'REDIS_EXTRA_FLAGS',
  valkey: 'VALKEY_EXTRA_FLAGS',
};

/** Images whose working directory, where redis writes its snapshots, is a VOLUME: "/data". */
const DATA_VOLUME_IMAGES = new Set([
  'redis',
  'library/redis',
  'valkey/valkey',
  'redis/redis-stack',
  'redis/redis-stack-server',
  'eqalpha/keydb',
]);

export function redisSetup(service: ScaffoldService, configs: readonly MountedConfig[]): RedisSetup {
  const setup: RedisSetup = { watches: [] };
  const env = service.environment;
  const repository = service.image === undefined ? '' : imageRepository(service.image);
  const last = repository.split('/').pop() ?? '';
  // redis-stack's images pass REDIS_ARGS to redis-server; bitnami's, REDIS_EXTRA_FLAGS (VALKEY_EXTRA_FLAGS).
  const variable = repository.startsWith('bitnami/') || last.startsWith('redis-stack') ? FLAGS_FROM_ENVIRONMENT[last] : undefined;
  const line = [service.entrypoint, service.command, variable === undefined ? '' : (env[variable] ?? '')].join(' ');
  const flag = (name: string) => flagValue(line, name);

  const replica = flag('replicaof') ?? flag('slaveof');
  if (replica) setup.replicaOf = replica;
  else if (env.REDIS_MASTER_HOST && /^(slave|replica)$/i.test(env.REDIS_REPLICATION_MODE ?? '')) setup.replicaOf = env.REDIS_MASTER_HOST;

  const appendonly = flag('appendonly');
  const save = flag('save');
  if (appendonly !== undefined && /^yes$/i.test(appendonly)) setup.persists = '--appendonly yes';
  else if (save !== undefined && save !== '') setup.persists = `--save ${save}`;

  if (/^yes$/i.test(flag('cluster-enabled') ?? '')) setup.cluster = '--cluster-enabled yes';
  else if (/^(redis|valkey)-cluster$/.test(last)) setup.cluster = repository;
  const sentinelProgram = programs([service.entrypoint, service.command].join(' && ')).find((program) =>
    /^(redis|valkey)-sentinel$/.test(program),
  );
  if (flag('sentinel') !== undefined) setup.sentinel = '--sentinel';
  else if (sentinelProgram) setup.sentinel = `its command runs ${sentinelProgram}`;
  else if (/^(redis|valkey)-sentinel$/.test(last)) setup.sentinel = repository;
  if (setup.sentinel !== undefined && /^(redis|valkey)-sentinel$/.test(last) && env.REDIS_MASTER_HOST) {
    setup.watches.push({ host: env.REDIS_MASTER_HOST, where: `REDIS_MASTER_HOST=${env.REDIS_MASTER_HOST} in its environment` });
  }

  const policy = flag('maxmemory-policy');
  if (policy !== undefined && EVICTING_POLICY.test(policy)) setup.evicts = `--maxmemory-policy ${policy}`;

  if (/--requirepass\s/i.test(line)) setup.auth = '--requirepass';
  else if (/--aclfile\s/i.test(line)) setup.auth = '--aclfile';
  else if (env.REDIS_PASSWORD || env.REDIS_PASSWORD_FILE)
    setup.auth = `${env.REDIS_PASSWORD ? 'REDIS_PASSWORD' : 'REDIS_PASSWORD_FILE'} in its environment`;

  const off = {
    save: save === '' ? '--save ""' : undefined,
    appendonly: appendonly !== undefined && /^no$/i.test(appendonly) ? '--appendonly no' : undefined,
  };
  for (const config of configs) fromConfigFile(config, setup, { appendonly, save, policy }, off);
  if (off.save !== undefined && off.appendonly !== undefined && setup.persists === undefined)
    setup.keepsNothing = `${off.save} and ${off.appendonly}`;

  // A configuration file named on the command line but not mounted comes with the image.
  const mounted = new Set(configs.map((config) => config.target));
  const hidden = configPathsInCommand(service).find((path) => !mounted.has(path));
  if (hidden && setup.unknownConfig === undefined)
    setup.unknownConfig = `it reads ${hidden}, which comes with its image: init cannot see what it keeps`;

  // bitnami/redis keeps an append-only file unless told not to.
  if (setup.persists === undefined && repository === 'bitnami/redis' && !/^no$/i.test(env.REDIS_AOF_ENABLED ?? '')) {
    setup.persists = 'bitnami/redis, whose append-only file is on unless REDIS_AOF_ENABLED=no';
  }
  // Without `save ""`, redis snapshots its data to disk at its default save points; a sentinel keeps no data.
  if (
    setup.persists === undefined &&
    off.save === undefined &&
    setup.sentinel === undefined &&
    !(repository.startsWith('bitnami/') && /^yes$/i.test(env.REDIS_RDB_POLICY_DISABLED ?? ''))
  ) {
    setup.defaultSnapshots = `redis saves snapshots unless told --save ""${DATA_VOLUME_IMAGES.has(repository) ? ", into /data, its image's volume" : ''}`;
  }
  return setup;
}

/** Eviction policies that make a redis drop keys when full, as a cache does (not noeviction). */
const EVICTING_POLICY = /^(allkeys|volatile)-(lru|lfu|random)$|^volatile-ttl$/i;

/** What a mounted configuration file says; the command line's own flags win, as in redis. */
function fromConfigFile(
  config: MountedConfig,
  setup: RedisSetup,
  overridden: { appendonly?: string; save?: string; policy?: string },
  off: { save?: string; appendonly?: string },
): void {
  if (config.text === undefined) {
    setup.unknownConfig ??= `its configuration ${config.target} cannot be read (${config.problem ?? 'unreadable'})`;
    return;
  }
  for (const raw of config.text.split(/\r?\n/)) {
    const [directive = '', ...args] = raw.trim().split(/\s+/);
    const value = args.join(' ');
    switch (directive.toLowerCase()) {
      case 'appendonly':
        if (overridden.appendonly !== undefined) break;
        if (/^yes$/i.test(value)) setup.persists ??= `appendonly yes in ${config.target}`;
        else if (/^no$/i.test(value)) off.appendonly ??= `appendonly no in ${config.target}`;
        break;
      case 'save':
        if (overridden.save !== undefined) break;
        if (unquote(value) !== '') setup.persists ??= `save ${value} in ${config.target}`;
        else off.save ??= `save "" in ${config.target}`;
        break;
      case 'cluster-enabled':
        if (/^yes$/i.test(value)) setup.cluster ??= `cluster-enabled yes in ${config.target}`;
        break;
      case 'maxmemory-policy':
        if (overridden.policy === undefined && EVICTING_POLICY.test(value))
          setup.evicts ??= `maxmemory-policy ${value} in ${config.target}`;
        break;
      case 'sentinel':
        if (args[0]?.toLowerCase() === 'monitor' && args[2] !== undefined)
          setup.watches.push({ host: args[2], where: `sentinel monitor ${args[1]} ${args[2]} in ${config.target}` });
        break;
      case 'replicaof':
      case 'slaveof':
        setup.replicaOf ??= args[0];
        break;
      case 'requirepass':
      case 'aclfile':
        setup.auth ??= `${directive.toLowerCase()} in ${config.target}`;
        break;
      case 'include':
        setup.unknownConfig ??= `${config.target} includes ${value}, which init does not read`;
        break;
    }
  }
}

/**
 * The value given to `--name` on a command line, unquoted; '' for an empty argument (a list
 * command joined into a line loses `""`, so the next flag follows at once); undefined when absent.
 */
function flagValue(line: string, name: string): string | undefined {
  const match = new RegExp(`--${name}(?![\\w-])(?:\\s+("[^"]*"|'[^']*'|\\S+))?`, 'i').exec(line);
  if (!match) return undefined;
  return match[1] === undefined || match[1].startsWith('--') ? '' : unquote(match[1]);
}

/** Paths of `.conf` files on the command line (redis-server's first argument, usually). */
function configPathsInCommand(service: ScaffoldService): string[] {
  return [...[service.entrypoint, service.command].join(' ').matchAll(/(?:^|\s)['"]?(\/[^\s'"]+\.conf)\b/g)].map((match) => match[1]!);
}

function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}
