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
   * The PID of its main process on the engine's host (State.Pid), when running or paused. It
   * names a process, not the container: with startedAt, it tells whether the process is still
   * the one seen before.
   */
  pid?: number;
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
  ipv6?: string;
  macAddress?: string;
  /**
   * Addresses the endpoint's configuration asks the engine for (IPAMConfig: compose's
   * ipv4_address / ipv6_address), as opposed to ones the engine chose. Absent when none.
   */
  requested?: { ipv4?: string; ipv6?: string };
  /**
   * The interface's name inside the container (eth0, eth1 …). The engine does not report it:
   * only a look from inside the container's network namespace does, so inspection leaves it out.
   */
  interfaceName?: string;
}

/** What to ask for when connecting a container to a network. */
export interface EndpointRequest {
  /** Aliases to answer to (the service's DNS name is lost without them). */
  aliases: string[];
  /** Addresses to ask the engine for; without them the engine chooses (the lowest free one). */
  ipv4?: string;
  ipv6?: string;
  /** Asked for only where endpointSupport says the engine takes it; ignored elsewhere. */
  macAddress?: string;
  /** Asked for only where endpointSupport says the engine takes it; ignored elsewhere. */
  interfaceName?: string;
}

/** What an engine can be asked for when it connects a container to a network. */
export interface EndpointSupport {
  /** A MAC address (API 1.44, Engine 25); older engines derive it from the IPv4 address. */
  macAddress: boolean;
  /** An interface name (API 1.48, Engine 28); older engines name interfaces eth<n>, n counting up for the container's life. */
  interfaceName: boolean;
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
  /**
   * Connect again as asked. A requested address the engine refuses (taken, or a network whose
   * subnet was not configured, on engines that then take no requests) rejects with
   * AddressRefusedError, and nothing is connected.
   */
  connect(networkId: string, containerId: string, endpoint: EndpointRequest, opts?: CallOptions): Promise<void>;
  /** What connect can ask this engine for beyond aliases and addresses. */
  endpointSupport(opts?: CallOptions): Promise<EndpointSupport>;
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
  /** Keep only the capabilities in capAdd: every one the engine grants by default is dropped. */
  dropOtherCapabilities?: boolean;
  /**
   * See the host's processes (PidMode host), to enter other containers' namespaces by PID; the
   * helper then gains no privileges through setuid files (no-new-privileges).
   */
  hostPids?: boolean;
  /** A read-only root filesystem, with an empty in-memory /run (iptables takes its lock there). */
  readOnlyRoot?: boolean;
  /** Labels on the helper; the adapter adds `firedrill.helper=true`. */
  labels?: Record<string, string>;
  /**
   * The compose project the helper works for, labelled on it so `recover` finds it: needed when
   * it joins none of the project's containers (otherwise the adapter takes the joined one's).
   */
  project?: string;
  /** What it does, for messages, instead of its command line (a long script): "read the network namespaces of 4 containers". */
  purpose?: string;
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

/** A container firedrill made for its own use (a helper, a lock), as the engine describes it. */
export interface OwnContainer {
  id: string;
  name: string;
  /** The engine's state: created (never started), running, exited … */
  state: string;
  /** When the engine created it (ISO 8601). */
  createdAt: string;
  labels: Record<string, string>;
  /** The containers whose network or PID namespace it joins (NetworkMode / PidMode container:<id>), as named there. */
  joins: string[];
}

/** Finding what firedrill left on an engine after it was killed, and removing it (`recover`). */
export interface OwnContainers {
  /** Every container, in any state, carrying `label` ("key" or "key=value"). */
  listOwnContainers(label: string, opts?: CallOptions): Promise<OwnContainer[]>;
  /** Force-removes one by id; one that is gone already is fine. */
  removeOwnContainer(id: string, opts?: CallOptions): Promise<void>;
}

/** Which compose project a container is of, by its id: for `recover` of a run whose journal cannot say. */
export interface ContainerProjects {
  /** Its compose project label; null when it has none; undefined when there is no such container. */
  composeProjectOf(containerId: string, opts?: CallOptions): Promise<string | null | undefined>;
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

/** What an engine says about the machine it runs on (its /info), for `firedrill doctor`. */
export interface EngineHostFacts {
  /** "1" or "2"; engines before API 1.40 do not say. */
  cgroupVersion?: string;
  /** "cgroupfs", "systemd" … */
  cgroupDriver?: string;
  kernelVersion?: string;
  operatingSystem?: string;
}

export interface EngineHost {
  hostFacts(opts?: CallOptions): Promise<EngineHostFacts>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Everything the runner needs from an engine. Faults and probes take narrower slices. */
export interface Engine
  extends ContainerLifecycle,
    NetworkControl,
    ContainerExec,
    HelperContainers,
    ContainerResources,
    EngineLocks,
    ProjectDiscovery,
    EngineIdentity {}
