import type { ScaffoldService } from './compose-services.js';
import type { PublishedPort } from './compose-ports.js';
import { softwareOf, type Software } from './service-traits.js';
import type { YamlMap } from './yaml-text.js';

/**
 * The best observation of a service a scaffold can write without guessing at its API, best
 * first: an HTTP request to a port it publishes on this machine (on the path of its own
 * healthcheck when that is an HTTP check), its Docker healthcheck, a PING for a redis, a TCP
 * connection to a published port, and at least "its containers are running".
 */

export type ProbeStrength = 'http' | 'health' | 'exec' | 'tcp' | 'running';

export interface ServiceProbe {
  strength: ProbeStrength;
  /** The probe as the playbook writes it. */
  spec: YamlMap;
  /** What the probe is based on, for a comment above it. */
  basis: string;
}

const STRENGTH_ORDER: ProbeStrength[] = ['http', 'health', 'exec', 'tcp', 'running'];

/** Compares probes, the stronger first. */
export function byStrength(a: ServiceProbe, b: ServiceProbe): number {
  return STRENGTH_ORDER.indexOf(a.strength) - STRENGTH_ORDER.indexOf(b.strength);
}

/** Ports that speak something other than plain HTTP (TLS included: a self-signed certificate would fail the probe). */
const NOT_HTTP = new Set([
  21, 22, 25, 53, 110, 143, 389, 443, 465, 587, 636, 993, 995, 1433, 1521, 1883, 2181, 2379, 3306, 4222, 5432, 5671, 5672, 6379,
  6380, 7000, 7001, 8443, 9042, 9092, 11211, 26379, 27017, 27018,
]);

/** `software` is what softwareOf says of the service: given when the caller has it already. */
export function probeFor(service: ScaffoldService, software: Software = softwareOf(service)): ServiceProbe {
  const datastore = software === 'redis' || software === 'memcached' || software === 'database';
  const tcpPorts = service.ports.filter((port) => port.protocol === 'tcp');
  const http = datastore ? undefined : tcpPorts.find((port) => !NOT_HTTP.has(port.containerPort));
  if (http) return httpProbe(service, http);
  if (service.healthcheck !== undefined) {
    return {
      strength: 'health',
      spec: { kind: 'health', name: `${service.name} is healthy`, service: service.name, expect: { status: 'healthy' } },
      basis: `${service.name}'s own healthcheck (${shorten(service.healthcheck)})`,
    };
  }
  if (software === 'redis') {
    return {
      strength: 'exec',
      spec: { kind: 'exec', name: `${service.name} answers PING`, service: service.name, command: ['redis-cli', 'PING'], timeout: '3s', expect: { outputContains: 'PONG' } },
      basis: `redis-cli inside ${service.name}`,
    };
  }
  const tcp = tcpPorts[0];
  if (tcp) {
    return {
      strength: 'tcp',
      spec: { kind: 'tcp', name: `${service.name} accepts connections on port ${tcp.hostPort}`, port: tcp.hostPort, timeout: '2s' },
      basis: `the port ${service.name} publishes (${portWords(tcp)})`,
    };
  }
  return {
    strength: 'running',
    spec: { kind: 'health', name: `${service.name} is running`, service: service.name, expect: { status: 'running' } },
    basis: `${service.name} publishes no port and has no healthcheck, so this only checks that its containers run`,
  };
}

function httpProbe(service: ScaffoldService, port: PublishedPort): ServiceProbe {
  const path = healthcheckPath(service.healthcheck, port.containerPort);
  const url = `http://127.0.0.1:${port.hostPort}${path ?? '/'}`;
  const basis = path
    ? `the port ${service.name} publishes (${portWords(port)}), on the path its healthcheck asks for`
    : `the port ${service.name} publishes (${portWords(port)}); any 2xx or 3xx answer holds — point it at a health endpoint if there is one`;
  return { strength: 'http', spec: { kind: 'http', name: `${service.name} answers on ${url}`, url, timeout: '3s' }, basis };
}

/** The path of an HTTP healthcheck aimed at the container's own port (`curl http://localhost:8080/healthz`). */
export function healthcheckPath(healthcheck: string | undefined, containerPort: number): string | undefined {
  if (!healthcheck) return undefined;
  const match = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"|;&]*)?/.exec(healthcheck);
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
