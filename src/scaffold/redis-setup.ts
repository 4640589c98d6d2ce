import { readSourceFile } from '../playbook/source-file.js';
import type { ScaffoldService } from './compose-services.js';
import { imageRepository } from './service-software.js';

/**
 * How a redis is set up, from its command line, the configuration files mounted into it and
 * its environment: whether it replicates, persists, asks for a password, or reads a
 * configuration init cannot see. Each fact is kept as the words that say where it was found.
 */

export interface RedisSetup {
  /** The host it replicates from (--replicaof, replicaof in its configuration, REDIS_MASTER_HOST). */
  replicaOf?: string;
  /** Where persistence is switched on: "--appendonly yes", "save 60 1000 in /etc/redis/redis.conf". */
  persists?: string;
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
    configs.push(source.ok ? { target: mount.target, text: source.text } : { target: mount.target, problem: `${mount.source} ${source.problem}` });
  }
  return configs;
}

export function redisSetup(service: ScaffoldService, configs: readonly MountedConfig[]): RedisSetup {
  const setup: RedisSetup = {};
  const line = [service.entrypoint, service.command].join(' ');
  const env = service.environment;
  const flag = (name: string) => flagValue(line, name);

  const replica = flag('replicaof') ?? flag('slaveof');
  if (replica) setup.replicaOf = replica;
  else if (env.REDIS_MASTER_HOST && /^(slave|replica)$/i.test(env.REDIS_REPLICATION_MODE ?? '')) setup.replicaOf = env.REDIS_MASTER_HOST;

  const appendonly = flag('appendonly');
  const save = flag('save');
  if (appendonly !== undefined && /^yes$/i.test(appendonly)) setup.persists = '--appendonly yes';
  else if (save !== undefined && save !== '') setup.persists = `--save ${save}`;

  if (/--requirepass\s/i.test(line)) setup.auth = '--requirepass';
  else if (/--aclfile\s/i.test(line)) setup.auth = '--aclfile';
  else if (env.REDIS_PASSWORD || env.REDIS_PASSWORD_FILE) setup.auth = `${env.REDIS_PASSWORD ? 'REDIS_PASSWORD' : 'REDIS_PASSWORD_FILE'} in its environment`;

  for (const config of configs) fromConfigFile(config, setup, { appendonly, save });

  // A configuration file named on the command line but not mounted comes with the image.
  const mounted = new Set(configs.map((config) => config.target));
  const hidden = configPathsInCommand(service).find((path) => !mounted.has(path));
  if (hidden && setup.unknownConfig === undefined) setup.unknownConfig = `it reads ${hidden}, which comes with its image: init cannot see what it keeps`;

  // bitnami/redis keeps an append-only file unless told not to.
  if (setup.persists === undefined && service.image !== undefined && imageRepository(service.image) === 'bitnami/redis' && !/^no$/i.test(env.REDIS_AOF_ENABLED ?? '')) {
    setup.persists = 'bitnami/redis, whose append-only file is on unless REDIS_AOF_ENABLED=no';
  }
  return setup;
}

/** What a mounted configuration file says; the command line's own flags win, as in redis. */
function fromConfigFile(config: MountedConfig, setup: RedisSetup, overridden: { appendonly?: string; save?: string }): void {
  if (config.text === undefined) {
    setup.unknownConfig ??= `its configuration ${config.target} cannot be read (${config.problem ?? 'unreadable'})`;
    return;
  }
  for (const raw of config.text.split(/\r?\n/)) {
    const [directive = '', ...args] = raw.trim().split(/\s+/);
    const value = args.join(' ');
    switch (directive.toLowerCase()) {
      case 'appendonly':
        if (overridden.appendonly === undefined && /^yes$/i.test(value)) setup.persists ??= `appendonly yes in ${config.target}`;
        break;
      case 'save':
        if (overridden.save === undefined && unquote(value) !== '') setup.persists ??= `save ${value} in ${config.target}`;
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
