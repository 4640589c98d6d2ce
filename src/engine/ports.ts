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
  /**
   * Set when the kernel's OOM killer acted in the container. Engine 20.10 keeps it set after
   * a restart, so it says "at some time since the container was created", not "last time".
   */
  oomKilled?: boolean;
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
  /** The id of the image it was created from. */
  imageId: string;
  project: string;
  service: string;
  /** compose's container number (1, 2, …). */
  number: number;
  status: ContainerStatus;
  health: HealthStatus;
  labels: Record<string, string>;
  networks: AttachedNetwork[];
  /** HostConfig.PidMode when set: "host", or "container:<name or id>" (another's PID namespace). */
  pidMode?: string;
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

/** A one-shot container that joins a target's namespaces, so the target's image needs no tools. */
export interface HelperSpec {
  /** An image name or id; it must be on the engine already. */
  image: string;
  command: string[];
  /** Join this container's network namespace (NetworkMode container:<id>). */
  networkOf?: string;
  /** Join this container's PID namespace (PidMode container:<id>). */
  pidOf?: string;
  /** No network at all (NetworkMode none): for checks that must touch nothing else. */
  isolated?: boolean;
  /** Linux capabilities, e.g. NET_ADMIN for iptables and tc. */
  capAdd?: string[];
  /** Labels on the helper; the adapter adds `firedrill.helper=true`. */
  labels?: Record<string, string>;
}

export interface HelperContainers {
  /**
   * The image's id on the engine ("sha256:…"), or undefined when the engine has no such image.
   * Never pulls: there may be no registry. Planning pins helpers to the id, so that a tag
   * rebuilt later (another iptables backend, say) cannot change what a revert runs.
   */
  imageId(image: string, opts?: CallOptions): Promise<string | undefined>;
  /**
   * Creates the helper, runs it to the end, returns its exit code and output, and removes it
   * (also when it fails or the call is aborted). The helper is never left behind.
   */
  runHelper(spec: HelperSpec, opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult>;
}

/** A container's CPU and memory settings as the engine's HostConfig holds them (0 = unset). */
export interface ResourceLimits {
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
  cpuShares: number;
  /** Bytes. */
  memory: number;
  /** Bytes of memory plus swap; -1 = unlimited swap. */
  memorySwap: number;
  memoryReservation: number;
}

export interface ContainerResources {
  inspectResources(containerId: string, opts?: CallOptions): Promise<ResourceLimits>;
  /** Changes only the fields given, on a running container. */
  updateResources(containerId: string, limits: Partial<ResourceLimits>, opts?: CallOptions): Promise<void>;
}

/**
 * Locks held on the engine itself, so that two firedrill processes on different machines
 * sharing one engine still exclude each other. A lock is a container that is created and
 * never started; the engine makes its name unique atomically.
 */
export interface EngineLocks {
  /** Resolves false (and creates nothing) when a container of that name exists already. */
  createLock(name: string, image: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean>;
  /** The lock's labels, or undefined when there is no container of that name. */
  readLock(name: string, opts?: CallOptions): Promise<Record<string, string> | undefined>;
  /** Removes the lock; a lock that is gone already is fine. */
  removeLock(name: string, opts?: CallOptions): Promise<void>;
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
export interface Engine
  extends ContainerLifecycle, NetworkControl, ContainerExec, HelperContainers, ContainerResources, EngineLocks, ProjectDiscovery, EngineIdentity {}
