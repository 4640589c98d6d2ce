import type { ScaffoldService } from './compose-services.js';
import type { PublishedPort } from '../topology/compose-ports.js';
import type { SoftwareKind } from './service-software.js';
import type { YamlMap } from './yaml-text.js';

/**
 * The best observation of a service a scaffold can write without guessing at its API, best
 * first: an HTTP request to the health endpoint its own healthcheck declares (on a port it
 * publishes here), its Docker healthcheck, a PING for a redis that redis-cli can reach, a TCP
 * connection to a port it publishes, and at least "its containers are running". HTTP is never
 * guessed: `GET /` may answer 404, and a DNS, game or database port does not speak HTTP at all.
 */

export type ProbeStrength = 'http' | 'health' | 'exec' | 'tcp' | 'running';

export interface ServiceProbe {
  strength: ProbeStrength;
  /** The probe as the playbook writes it. */
  spec: YamlMap;
  /** What the probe is based on, for a comment above it. */
  basis: string;
  /** Set when the probe stands in for an HTTP check init could not find: what to point at a real endpoint. */
  pointAtEndpoint?: string;
}

/**
 * Ports that are known to speak something other than plain HTTP: mail, DNS, directories,
 * databases and brokers, TLS, game servers. No HTTP check is suggested for them.
 */
const NOT_HTTP = new Set([
  21, 22, 25, 53, 110, 143, 389, 443, 465, 587, 636, 853, 993, 995, 1433, 1521, 1883, 2181, 2379, 3306, 4222, 5432, 5671, 5672, 6379, 6380,
  7000, 7001, 7777, 8443, 9042, 9092, 11211, 19132, 25565, 26379, 27015, 27017, 27018, 28015, 64738,
]);

const STRENGTH_ORDER: ProbeStrength[] = ['http', 'health', 'exec', 'tcp', 'running'];

/** Compares probes, the stronger first. */
export function byStrength(a: ServiceProbe, b: ServiceProbe): number {
  return STRENGTH_ORDER.indexOf(a.strength) - STRENGTH_ORDER.indexOf(b.strength);
}

/**
 * `software` is what the service runs; `redisPing` whether `redis-cli PING` inside it would be
 * answered (a redis that asks for a password answers NOAUTH unless REDISCLI_AUTH is set).
 */
export function probeFor(service: ScaffoldService, software: SoftwareKind, redisPing: boolean): ServiceProbe {
  const tcpPorts = service.ports.filter((port) => port.protocol === 'tcp');
  const declared = healthEndpoint(service.healthcheck, tcpPorts);
  if (declared) return httpProbe(service, declared.port, declared.path);
  if (service.healthcheck !== undefined) {
    return {
      strength: 'health',
      spec: { kind: 'health', name: `${service.name} is healthy`, service: service.name, expect: { status: 'healthy' } },
      basis: `${service.name}'s own healthcheck (${shorten(service.healthcheck)})`,
    };
  }
  if (software === 'redis' && redisPing) {
    return {
      strength: 'exec',
      spec: {
        kind: 'exec',
        name: `${service.name} answers PING`,
        service: service.name,
        command: ['redis-cli', 'PING'],
        timeout: '3s',
        expect: { outputContains: 'PONG' },
      },
      basis: `redis-cli inside ${service.name}`,
    };
  }
  const tcp = tcpPorts[0];
  const datastore = software === 'redis' || software === 'memcached' || software === 'database';
  if (tcp) {
    const probe: ServiceProbe = {
      strength: 'tcp',
      spec: { kind: 'tcp', name: `${service.name} accepts connections on port ${tcp.hostPort}`, port: tcp.hostPort, timeout: '2s' },
      basis: `a TCP connection to the port ${service.name} publishes (${portWords(tcp)})`,
    };
    if (datastore || NOT_HTTP.has(tcp.containerPort)) return probe;
    const advice = `the compose file declares no HTTP health endpoint for ${service.name} (a healthcheck that curls or wgets http://localhost:${tcp.containerPort}/<path>)`;
    return {
      ...probe,
      basis: `${probe.basis}; ${advice}: point an http probe at a real endpoint if it has one`,
      pointAtEndpoint: `127.0.0.1:${tcp.hostPort}`,
    };
  }
  return {
    strength: 'running',
    spec: { kind: 'health', name: `${service.name} is running`, service: service.name, expect: { status: 'running' } },
    basis: `${service.name} publishes no port and has no healthcheck, so this only checks that its containers run`,
  };
}

function httpProbe(service: ScaffoldService, port: PublishedPort, path: string): ServiceProbe {
  const url = `http://127.0.0.1:${port.hostPort}${path}`;
  const basis = `the health endpoint ${service.name}'s healthcheck declares (${path}), on the port it publishes (${portWords(port)})`;
  return { strength: 'http', spec: { kind: 'http', name: `${service.name} answers on ${url}`, url, timeout: '3s' }, basis };
}

/** The published port and path of an HTTP healthcheck aimed at one of the container's published ports. */
function healthEndpoint(healthcheck: string | undefined, ports: PublishedPort[]): { port: PublishedPort; path: string } | undefined {
  for (const port of ports) {
    const path = healthcheckPath(healthcheck, port.containerPort);
    if (path !== undefined) return { port, path };
  }
  return undefined;
}

/**
 * The path of a plain-HTTP healthcheck aimed at the container's own port
 * (`curl http://localhost:8080/healthz`); not HTTPS, whose certificate a probe cannot trust.
 */
export function healthcheckPath(healthcheck: string | undefined, containerPort: number): string | undefined {
  if (!healthcheck) return undefined;
  const match = /http:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"|;&]*)?/.exec(healthcheck);
  if (!match) return undefined;
  const port = match[1] === undefined ? 80 : Number(match[1]);
  return port === containerPort ? (match[2] ?? '/') : undefined;
}

function portWords(port: PublishedPort): string {
  const mapping = `127.0.0.1:${port.hostPort} → ${port.containerPort}`;
  return port.fromDefault ? `${mapping}, from the default in "${port.fromDefault}"` : mapping;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
