import { isRecord } from './compose-records.js';
import { withDefaults } from './compose-interpolation.js';

/**
 * The ports a compose service publishes, in both of compose's forms: the short
 * `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` (ranges included) and the long
 * `{target, published, host_ip, protocol}`. Only what a probe on this machine could use is
 * kept: a fixed host port, and a host address that 127.0.0.1 reaches.
 */

export interface PublishedPort {
  hostPort: number;
  containerPort: number;
  protocol: string;
  /** As written in the compose file, when a `${VAR:-default}` was taken at its default. */
  fromDefault?: string;
}

/** Addresses a port published on can be reached at 127.0.0.1: every address, or loopback. */
const REACHABLE_FROM_LOOPBACK = /^(|0\.0\.0\.0|127(\.\d{1,3}){3}|localhost)$/;

/** Ranges are expanded up to this many ports each; nobody probes a thousand ports. */
const MAX_RANGE = 16;

export function publishedPorts(service: unknown): PublishedPort[] {
  const ports = isRecord(service) ? service.ports : undefined;
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((entry) => (isRecord(entry) ? longForm(entry) : typeof entry === 'string' ? shortForm(entry) : []));
}

function shortForm(written: string): PublishedPort[] {
  const { text } = withDefaults(written);
  if (text === undefined) return [];
  const [spec, protocol = 'tcp'] = text.split('/') as [string, string?];
  // An IPv6 host address is bracketed: "[::1]:8080:80".
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  const parts = bracketed ? [bracketed[1]!, ...bracketed[2]!.split(':')] : spec.split(':');
  if (parts.length < 2 || parts.length > 3) return []; // a container port alone gets a random host port
  const [hostIp, hostPorts, containerPorts] = parts.length === 3 ? (parts as [string, string, string]) : ['', parts[0]!, parts[1]!];
  const fromDefault = text === written ? undefined : written;
  return pairs(hostIp, hostPorts, containerPorts).map(([hostPort, containerPort]) => ({
    hostPort,
    containerPort,
    protocol,
    ...(fromDefault ? { fromDefault } : {}),
  }));
}

function longForm(entry: Record<string, unknown>): PublishedPort[] {
  const text = (value: unknown) =>
    typeof value === 'number' ? String(value) : typeof value === 'string' ? withDefaults(value).text : undefined;
  const target = text(entry.target);
  const published = text(entry.published);
  const hostIp = entry.host_ip === undefined ? '' : text(entry.host_ip);
  const protocol = entry.protocol === undefined ? 'tcp' : text(entry.protocol);
  if (target === undefined || published === undefined || hostIp === undefined || protocol === undefined) return [];
  const written = [entry.host_ip, entry.published].find((value) => typeof value === 'string' && value.includes('$'));
  return pairs(hostIp, published, target).map(([hostPort, containerPort]) => ({
    hostPort,
    containerPort,
    protocol,
    ...(typeof written === 'string' ? { fromDefault: written } : {}),
  }));
}

function pairs(hostIp: string, hostPorts: string, containerPorts: string): [number, number][] {
  if (!REACHABLE_FROM_LOOPBACK.test(hostIp)) return [];
  const host = range(hostPorts);
  const container = range(containerPorts);
  if (!host || !container) return [];
  // "8000-8001:80-81" pairs them up; "8080:80-81" is not something compose accepts either.
  if (host.length !== container.length) return [];
  return host.map((port, index) => [port, container[index]!]);
}

function range(text: string): number[] | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65_535 || last < first) return undefined;
  return Array.from({ length: Math.min(last - first + 1, MAX_RANGE) }, (_, i) => first + i);
}
