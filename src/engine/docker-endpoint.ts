import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, messageOf } from '../errors.js';

/**
 * Where a Docker Engine is reached, and the docker-modem options to reach it.
 *
 * Without an explicit host, docker-modem reads DOCKER_HOST, DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH itself; we only compute the same endpoint for messages. With an explicit
 * host (a playbook placing a region on another engine), we build the options here, in the
 * same way, and blank out whatever docker-modem would otherwise take from the environment.
 */
export interface ResolvedEndpoint {
  /** e.g. "unix:///var/run/docker.sock", "tcp://10.0.0.5:2376", "ssh://deploy@staging" */
  endpoint: string;
  modemOptions: ModemOptions;
}

/** The subset of docker-modem's constructor options we set. */
export interface ModemOptions {
  socketPath?: string;
  host?: string;
  port?: string;
  protocol?: 'http' | 'https' | 'ssh';
  username?: string;
  ca?: string | Buffer;
  cert?: Buffer;
  key?: Buffer;
  sshOptions?: { agent?: string };
  /** Always undefined: docker-modem's timeout is an idle timeout that kills long calls. */
  timeout?: undefined;
}

type Env = Record<string, string | undefined>;

export function resolveEndpoint(host?: string, env: Env = process.env): ResolvedEndpoint {
  if (host === undefined) {
    const fromEnv = env.DOCKER_HOST;
    const endpoint = fromEnv ? withScheme(fromEnv) : `unix://${defaultSocket()}`;
    // Only the idle timeout is overridden; docker-modem parses the rest of the environment.
    return { endpoint: withoutPassword(endpoint), modemOptions: { timeout: undefined } };
  }
  return { endpoint: withoutPassword(withScheme(host)), modemOptions: explicitOptions(withScheme(host), env) };
}

function explicitOptions(host: string, env: Env): ModemOptions {
  const blank: ModemOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: undefined,
  };
  if (host.startsWith('unix://')) {
    return { ...blank, socketPath: host.slice('unix://'.length) || defaultSocket(), protocol: 'http' };
  }
  const url = parseHost(host);
  if (url.protocol === 'ssh:') {
    return {
      ...blank,
      protocol: 'ssh',
      host: url.hostname,
      port: url.port || '22',
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnvironmentError(`unsupported Docker host "${host}": use unix://, tcp:// or ssh://`);
  }
  const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
  return {
    ...blank,
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (tls ? '2376' : '2375'),
    ...certificates(env),
  };
}

function certificates(env: Env): Pick<ModemOptions, 'ca' | 'cert' | 'key'> {
  const dir = env.DOCKER_CERT_PATH;
  if (!dir) return {};
  try {
    return {
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
      key: readFileSync(join(dir, 'key.pem')),
    };
  } catch (error) {
    const cause = messageOf(error);
    throw new EnvironmentError(
      `cannot read the TLS certificates in DOCKER_CERT_PATH=${dir}: ${cause} — it must hold ca.pem, cert.pem and key.pem`,
    );
  }
}

function parseHost(host: string): URL {
  try {
    return new URL(host);
  } catch {
    throw new EnvironmentError(
      `Docker host "${host}" is not a valid address: expected e.g. unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host`,
    );
  }
}

/** docker-modem treats a host without "//" as tcp. */
function withScheme(host: string): string {
  return host.includes('//') ? host : `tcp://${host}`;
}

function withoutPassword(endpoint: string): string {
  return endpoint.replace(/^(\w+:\/\/[^/:@]+):[^/@]*@/, '$1@');
}

/** The socket docker-modem picks when DOCKER_HOST is unset (Docker Desktop's per-user one first). */
function defaultSocket(): string {
  const userSocket = join(homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(userSocket) ? userSocket : '/var/run/docker.sock';
}
