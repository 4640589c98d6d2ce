/**
 * Small interfaces through which faults, probes and discovery reach a container engine.
 * The Docker adapter (docker-engine.ts) is the only implementation that talks to Docker;
 * unit tests use a FakeEngine. Nothing outside src/engine imports dockerode.
 *
 * Contracts shared by every method:
 * - ids are full container / network ids;
 * - "already so" answers (start on a running container, stop on a stopped one, unpause on a
 *   running one, disconnect from a network it is not on) resolve without error, so reverts
 *   can be repeated;
 * - an optional AbortSignal cancels the call.
 */

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy';

export interface ContainerState {
  id: string;
  status: ContainerStatus;
  health: HealthStatus;
  /** Container start time as the engine reports it (ISO), when running. */
  startedAt?: string;
}

export interface AttachedNetwork {
  networkId: string;
  networkName: string;
  /** Aliases the container answers to on this network (the compose service name among them). */
  aliases: string[];
  ipv4?: string;
}

/** A container of a compose project, as discovery reports it. */
export interface ContainerInfo {
  id: string;
  /** Container name without the leading slash. */
  name: string;
  project: string;
  service: string;
  /** compose's container number (1, 2, …). */
  number: number;
  status: ContainerStatus;
  health: HealthStatus;
  labels: Record<string, string>;
  networks: AttachedNetwork[];
}

export interface NetworkInfo {
  id: string;
  name: string;
  project: string;
}

export interface ContainerLifecycle {
  kill(id: string, signal?: string, opts?: CallOptions): Promise<void>;
  stop(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void>;
  start(id: string, opts?: CallOptions): Promise<void>;
  restart(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void>;
  pause(id: string, opts?: CallOptions): Promise<void>;
  unpause(id: string, opts?: CallOptions): Promise<void>;
  inspectState(id: string, opts?: CallOptions): Promise<ContainerState>;
}

export interface NetworkControl {
  /** Networks the container is attached to now, with their aliases. */
  attachedNetworks(containerId: string, opts?: CallOptions): Promise<AttachedNetwork[]>;
  disconnect(networkId: string, containerId: string, opts?: CallOptions): Promise<void>;
  /** Connect again with the given aliases (the service's DNS name is lost without them). */
  connect(networkId: string, containerId: string, aliases: string[], opts?: CallOptions): Promise<void>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ContainerExec {
  /** Runs a command in a running container and waits for it; output is demultiplexed. */
  exec(containerId: string, command: string[], opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult>;
}

export interface ProjectDiscovery {
  /** Every container (running or not) carrying the compose project label. */
  listProjectContainers(project: string, opts?: CallOptions): Promise<ContainerInfo[]>;
  /** Networks carrying the compose project label. */
  listProjectNetworks(project: string, opts?: CallOptions): Promise<NetworkInfo[]>;
}

export interface EngineIdentity {
  /** Where the engine is reached, e.g. "unix:///var/run/docker.sock". */
  readonly endpoint: string;
  /** Resolves with the engine version; rejects with EnvironmentError when unreachable. */
  ping(opts?: CallOptions): Promise<{ version: string; apiVersion: string }>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Everything the runner needs from an engine. Faults and probes take narrower slices. */
export interface Engine extends ContainerLifecycle, NetworkControl, ContainerExec, ProjectDiscovery, EngineIdentity {}
