import type Docker from 'dockerode';
import type { AttachedNetwork, ContainerInfo, ContainerState, ContainerStatus, HealthStatus } from './ports.js';

/** Turns Docker's inspect answers into the engine ports' plain shapes. */

export const COMPOSE_LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
} as const;

const STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const HEALTHS: readonly HealthStatus[] = ['starting', 'healthy', 'unhealthy'];

export function toContainerState(info: Docker.ContainerInspectInfo): ContainerState {
  const state: ContainerState = { id: info.Id, status: statusOf(info), health: healthOf(info) };
  if (state.status === 'running' || state.status === 'paused') {
    state.startedAt = info.State.StartedAt;
    if (Number.isSafeInteger(info.State.Pid) && info.State.Pid > 0) state.pid = info.State.Pid;
  }
  if (info.State?.OOMKilled) state.oomKilled = true;
  return state;
}

/** Looks a network's id up by name: Docker leaves NetworkID empty for a stopped container. */
export type NetworkIdByName = (name: string) => Promise<string>;

export async function toAttachedNetworks(info: Docker.ContainerInspectInfo, idByName: NetworkIdByName): Promise<AttachedNetwork[]> {
  const entries = Object.entries(info.NetworkSettings?.Networks ?? {});
  const attached = await Promise.all(
    entries.map(async ([networkName, endpoint]): Promise<AttachedNetwork> => {
      const network: AttachedNetwork = {
        networkId: endpoint.NetworkID || (await idByName(networkName)),
        networkName,
        aliases: [...(endpoint.Aliases ?? [])],
      };
      if (endpoint.IPAddress) network.ipv4 = endpoint.IPAddress;
      if (endpoint.GlobalIPv6Address) network.ipv6 = endpoint.GlobalIPv6Address;
      if (endpoint.MacAddress) network.macAddress = endpoint.MacAddress;
      const requested = requestedAddresses(endpoint.IPAMConfig);
      if (requested) network.requested = requested;
      return network;
    }),
  );
  return attached.sort((a, b) => a.networkName.localeCompare(b.networkName));
}

/** The addresses an endpoint's IPAMConfig asks for, or undefined when it asks for none. */
function requestedAddresses(config: { IPv4Address?: string; IPv6Address?: string } | null | undefined): AttachedNetwork['requested'] {
  const requested: NonNullable<AttachedNetwork['requested']> = {};
  if (config?.IPv4Address) requested.ipv4 = config.IPv4Address;
  if (config?.IPv6Address) requested.ipv6 = config.IPv6Address;
  return Object.keys(requested).length > 0 ? requested : undefined;
}

export async function toContainerInfo(info: Docker.ContainerInspectInfo, idByName: NetworkIdByName): Promise<ContainerInfo> {
  const labels = { ...(info.Config?.Labels ?? {}) };
  const { status, health } = toContainerState(info);
  const pidMode = info.HostConfig?.PidMode;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    imageId: info.Image,
    project: labels[COMPOSE_LABEL.project] ?? '',
    service: labels[COMPOSE_LABEL.service] ?? '',
    number: Number.parseInt(labels[COMPOSE_LABEL.number] ?? '1', 10) || 1,
    status,
    health,
    labels,
    networks: await toAttachedNetworks(info, idByName),
    ...(pidMode ? { pidMode } : {}),
  };
}

/** `docker compose run` containers carry the project label too, but are not the service. */
export function isOneOff(labels: Record<string, string> | undefined): boolean {
  return (labels?.[COMPOSE_LABEL.oneoff] ?? '').toLowerCase() === 'true';
}

function statusOf(info: Docker.ContainerInspectInfo): ContainerStatus {
  const status = info.State?.Status as ContainerStatus;
  return STATUSES.includes(status) ? status : 'dead';
}

function healthOf(info: Docker.ContainerInspectInfo): HealthStatus {
  const health = info.State?.Health?.Status as HealthStatus | undefined;
  return health && HEALTHS.includes(health) ? health : 'none';
}
