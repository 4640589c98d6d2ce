import { createHash } from 'node:crypto';
import { AddressRefusedError } from '../../src/engine/address-refused.js';
import type {
  AttachedNetwork,
  CallOptions,
  ContainerInfo,
  ContainerState,
  ContainerStatus,
  EndpointRequest,
  EndpointSupport,
  Engine,
  ExecResult,
  HealthStatus,
  HelperSpec,
  NetworkInfo,
  ResourceLimits,
} from '../../src/engine/ports.js';
import { ContainerGoneError } from '../../src/engine/container-gone.js';
import type { Topology } from '../../src/topology/topology.js';

/**
 * An in-memory Engine for unit tests. Lifecycle calls change container state the way Docker
 * 20.10 does (checked against it): kill, stop and restart work on a paused container; pause
 * on a paused one, kill or pause on a stopped one, start on a paused one answer 409; a
 * container with a healthcheck turns "unhealthy" when stopped or paused and "starting" when
 * started. Every call is recorded, exec results are scripted, any method can be made to fail.
 * Nothing here sleeps.
 *
 * Networks given a subnet hand out addresses as Engine 20.10's IPAM does: a plain connect gets
 * the lowest free address (from .2), a requested one is refused when taken ("in-use") or when
 * the subnet was not configured by the user ("no-subnet"). Interfaces are named as 20.10 names
 * them: eth<n>, n counting up for the container's life, whatever was disconnected — unless
 * `endpointSupport.interfaceName` is set and a name is asked for.
 */

export type EngineMethod = Exclude<keyof Engine, 'endpoint'>;

export interface FakeCall {
  method: EngineMethod;
  args: unknown[];
}

export interface FakeContainerSeed {
  service: string;
  project?: string;
  /** compose's container number; by default 1, 2, … per service in seed order. */
  number?: number;
  /** By default `<project>-<service>-<number>`, as compose v2 names containers. */
  name?: string;
  /** By default a 64-hex id derived from the name. */
  id?: string;
  status?: ContainerStatus;
  /** "none" (the default) means the container has no healthcheck. */
  health?: HealthStatus;
  /** Health after start, restart or unpause; by default "starting" when there is a healthcheck. */
  healthAfterStart?: HealthStatus;
  labels?: Record<string, string>;
  /** Network names, or full attachments; by default `<project>_default` with the service as alias. */
  networks?: (string | Omit<AttachedNetwork, 'networkId'>)[];
  /** By default a digest derived from the service name. */
  imageId?: string;
  resources?: Partial<ResourceLimits>;
  /** HostConfig.PidMode: "host" or "container:<name or id>"; unset by default. */
  pidMode?: string;
}

/** A network the fake creates up front; with a subnet ("10.7.0") it hands out addresses. */
export interface FakeNetworkSeed {
  name: string;
  /** The first three octets of a /24, e.g. "10.7.0". */
  subnet?: string;
  /** True when the user configured the subnet: only then are requested addresses honoured (Engine 20.10). */
  configuredSubnet?: boolean;
}

/** A container as the fake holds it; tests may read it and change it through setState. */
export interface FakeContainer extends Omit<ContainerInfo, 'networks'> {
  healthAfterStart: HealthStatus;
  /** The next eth<n> the container's namespace gives out. */
  nextInterface: number;
  networks: AttachedNetwork[];
  startedAt?: string;
  /** The PID of its main process while running or paused; a new one at each start. Tests may set it. */
  pid?: number;
  removed: boolean;
  resources: ResourceLimits;
  /** As Docker 20.10: set by an OOM kill, and kept set after a restart. */
  oomKilled?: boolean;
}

/** Errors shaped like the Docker API's: a status code and the daemon's kind of message. */
export class FakeEngineError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'FakeEngineError';
  }
}

/** What a helper container printed and how it ended; `target` is the container it joined, if any. */
export type HelperHandler = (spec: HelperSpec, target: FakeContainer | undefined) => ExecResult | Promise<ExecResult>;

export type ExecHandler = (containerId: string, command: string[], container: FakeContainer) => ExecResult | Promise<ExecResult>;
/** Runs before a method acts, with its arguments; throwing (or rejecting) makes the call fail. */
export type CallHook = (args: unknown[]) => void | Promise<void>;

export class FakeEngine implements Engine {
  readonly endpoint: string;
  readonly project: string;
  readonly calls: FakeCall[] = [];
  private readonly containerList: FakeContainer[] = [];
  private readonly networkList: NetworkInfo[] = [];
  private readonly subnets = new Map<string, { subnet: string; configured: boolean }>();
  /** What connect may ask for; Engine 20.10 (API 1.41) takes neither. */
  support: EndpointSupport = { macAddress: false, interfaceName: false };
  private execHandler: ExecHandler = () => ({ exitCode: 0, stdout: '', stderr: '' });
  private helperHandler: HelperHandler = () => ({ exitCode: 0, stdout: '', stderr: '' });
  /** Images on the engine; tests add and remove them. */
  readonly images = new Set<string>(['firedrill-base:bookworm']);
  /** Locks by name, with their labels. */
  readonly locks = new Map<string, Record<string, string>>();
  private readonly failures = new Map<EngineMethod, Error[]>();
  private readonly hooks = new Map<EngineMethod, CallHook[]>();
  private starts = 0;
  /** The last PID handed out: each start takes the next one, as a host's kernel would (never reused here). */
  private lastPid = 4000;
  /** The networks of the container being seeded, whose addresses are held already. */
  private seeding: AttachedNetwork[] = [];

  constructor(seeds: FakeContainerSeed[], opts: { project?: string; endpoint?: string; networks?: (string | FakeNetworkSeed)[] } = {}) {
    this.project = opts.project ?? 'demo';
    this.endpoint = opts.endpoint ?? 'unix:///var/run/docker.sock';
    for (const entry of opts.networks ?? []) {
      const seed = typeof entry === 'string' ? { name: entry } : entry;
      const network = this.ensureNetwork(seed.name, this.project);
      if (seed.subnet) this.subnets.set(network.id, { subnet: seed.subnet, configured: seed.configuredSubnet === true });
    }
    const numbers = new Map<string, number>();
    for (const seed of seeds) {
      const number = seed.number ?? (numbers.get(seed.service) ?? 0) + 1;
      numbers.set(seed.service, number);
      this.containerList.push(this.fromSeed(seed, number));
    }
  }

  // ---- test controls -------------------------------------------------------------------

  /** A container by id or name; throws for an unknown one so typos fail loudly. */
  container(ref: string): FakeContainer {
    const found = this.containerList.find((c) => c.id === ref || c.name === ref);
    if (!found) throw new Error(`FakeEngine: no container "${ref}"`);
    return found;
  }

  /** The live container whose main process has this PID, as a host's /proc would find it. */
  containerByPid(pid: number): FakeContainer | undefined {
    return this.containerList.find((c) => !c.removed && c.pid === pid && (c.status === 'running' || c.status === 'paused'));
  }

  containersOf(service: string): FakeContainer[] {
    return this.containerList.filter((c) => c.service === service && !c.removed);
  }

  /** Changes a container behind the engine's back (it crashed, its health changed, it was removed). */
  setState(ref: string, patch: Partial<Pick<FakeContainer, 'status' | 'health' | 'healthAfterStart' | 'removed' | 'oomKilled'>>): void {
    Object.assign(this.container(ref), patch);
  }

  onExec(handler: ExecHandler): void {
    this.execHandler = handler;
  }

  onHelper(handler: HelperHandler): void {
    this.helperHandler = handler;
  }

  /** The next call of `method` fails with `error` (queued: call twice to fail twice). */
  failNext(method: EngineMethod, error: Error = new FakeEngineError(500, `${method} failed (scripted)`)): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Runs `hook` before every call of `method`, after it is recorded. */
  before(method: EngineMethod, hook: CallHook): void {
    this.hooks.set(method, [...(this.hooks.get(method) ?? []), hook]);
  }

  /** Arguments of every recorded call of one method. */
  callsTo(method: EngineMethod): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /**
   * The Topology discovery would build from the containers now: services in seed order,
   * regions from the region label and then from `regions` (which overrides the label).
   */
  topology(opts: { regions?: Record<string, string[]>; regionLabel?: string } = {}): Topology {
    const label = opts.regionLabel ?? 'firedrill.region';
    const services = new Map<string, { region?: string; containers: ContainerInfo[] }>();
    for (const c of this.containerList.filter((x) => x.project === this.project && !x.removed)) {
      const entry = services.get(c.service) ?? { containers: [] };
      if (c.labels[label]) entry.region = c.labels[label];
      entry.containers.push(this.info(c));
      services.set(c.service, entry);
    }
    for (const [region, names] of Object.entries(opts.regions ?? {})) {
      for (const name of names) {
        const entry = services.get(name);
        if (entry) entry.region = region;
      }
    }
    const regions: Record<string, string[]> = {};
    for (const [name, entry] of services) if (entry.region) (regions[entry.region] ??= []).push(name);
    return {
      project: this.project,
      endpoint: this.endpoint,
      services: [...services].map(([name, entry]) => ({ name, ...entry })),
      networks: this.networkList.filter((n) => n.project === this.project).map((n) => ({ ...n })),
      regions,
    };
  }

  // ---- ContainerLifecycle ----------------------------------------------------------------

  async kill(id: string, signal?: string, opts?: CallOptions): Promise<void> {
    const c = await this.enter('kill', [id, signal], opts);
    if (c.status !== 'running' && c.status !== 'paused') throw conflict(`container ${c.name} is not running`);
    this.bringDown(c, 'exited');
  }

  async stop(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    const c = await this.enter('stop', [id, opts?.timeoutSeconds], opts);
    if (c.status === 'running' || c.status === 'paused' || c.status === 'restarting') this.bringDown(c, 'exited');
  }

  async start(id: string, opts?: CallOptions): Promise<void> {
    const c = await this.enter('start', [id], opts);
    if (c.status === 'running') return;
    if (c.status === 'paused') throw conflict(`cannot start paused container ${c.name}, try unpause instead`);
    this.bringUp(c);
  }

  async restart(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    const c = await this.enter('restart', [id, opts?.timeoutSeconds], opts);
    this.bringUp(c);
  }

  async pause(id: string, opts?: CallOptions): Promise<void> {
    const c = await this.enter('pause', [id], opts);
    if (c.status === 'paused') throw conflict(`container ${c.name} is already paused`);
    if (c.status !== 'running') throw conflict(`container ${c.name} is not running`);
    this.bringDown(c, 'paused');
  }

  async unpause(id: string, opts?: CallOptions): Promise<void> {
    const c = await this.enter('unpause', [id], opts);
    if (c.status === 'running') return;
    if (c.status !== 'paused') throw conflict(`container ${c.name} is not paused`);
    c.status = 'running';
    c.health = c.healthAfterStart;
  }

  async inspectState(id: string, opts?: CallOptions): Promise<ContainerState> {
    const c = await this.enter('inspectState', [id], opts);
    const live = c.status === 'running' || c.status === 'paused';
    return {
      id: c.id,
      status: c.status,
      health: c.health,
      ...(c.startedAt ? { startedAt: c.startedAt } : {}),
      ...(live && c.pid !== undefined ? { pid: c.pid } : {}),
      ...(c.oomKilled ? { oomKilled: true } : {}),
    };
  }

  // ---- NetworkControl --------------------------------------------------------------------

  async attachedNetworks(containerId: string, opts?: CallOptions): Promise<AttachedNetwork[]> {
    const c = await this.enter('attachedNetworks', [containerId], opts);
    return c.networks.map(reported);
  }

  async disconnect(networkId: string, containerId: string, opts?: CallOptions): Promise<void> {
    const c = await this.enter('disconnect', [networkId, containerId], opts);
    this.network(networkId);
    c.networks = c.networks.filter((n) => n.networkId !== networkId);
  }

  async connect(networkId: string, containerId: string, endpoint: EndpointRequest, opts?: CallOptions): Promise<void> {
    const c = await this.enter('connect', [networkId, containerId, structuredClone(endpoint)], opts);
    const network = this.network(networkId);
    if (c.networks.some((n) => n.networkId === networkId)) {
      throw new FakeEngineError(403, `endpoint with name ${c.name} already exists in network ${network.name}`);
    }
    const attached: AttachedNetwork = { networkId, networkName: network.name, aliases: [...endpoint.aliases] };
    const subnet = this.subnets.get(networkId);
    if (subnet) {
      const requested = endpoint.ipv4;
      if (requested !== undefined) {
        const doing = `connect container ${c.name} to network ${network.name}`;
        if (!subnet.configured) {
          throw new AddressRefusedError(
            `${doing}: user specified IP address is supported only when connecting to networks with user configured subnets`,
            'no-subnet',
          );
        }
        if (this.holders(networkId).includes(requested)) throw new AddressRefusedError(`${doing}: Address already in use`, 'in-use');
        attached.requested = { ipv4: requested };
      }
      attached.ipv4 = requested ?? this.lowestFree(networkId, subnet.subnet);
      attached.macAddress = endpoint.macAddress && this.support.macAddress ? endpoint.macAddress : macOf(attached.ipv4);
    }
    attached.interfaceName = endpoint.interfaceName && this.support.interfaceName ? endpoint.interfaceName : `eth${c.nextInterface++}`;
    c.networks.push(attached);
  }

  async endpointSupport(opts?: CallOptions): Promise<EndpointSupport> {
    await this.enterEngine('endpointSupport', [], opts);
    return { ...this.support };
  }

  /** What `ip -o addr show` prints inside the container (IPv4 only), for a helper handler to answer with. */
  interfaceListing(ref: string): string {
    const c = this.container(ref);
    const lines = ['1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever'];
    c.networks.forEach((n, i) => {
      if (n.ipv4 && n.interfaceName)
        lines.push(
          `${10 + i}: ${n.interfaceName}    inet ${n.ipv4}/24 brd 0.0.0.0 scope global ${n.interfaceName}\\       valid_lft forever`,
        );
    });
    return `${lines.join('\n')}\n`;
  }

  // ---- ContainerExec ---------------------------------------------------------------------

  async exec(containerId: string, command: string[], opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult> {
    const c = await this.enter('exec', [containerId, [...command], opts?.timeoutMs], opts);
    if (c.status === 'paused') throw conflict(`container ${c.name} is paused, unpause the container before exec`);
    if (c.status !== 'running') throw conflict(`container ${c.name} is not running`);
    return raceAbort(Promise.resolve(this.execHandler(c.id, command, c)), opts?.signal);
  }

  // ---- HelperContainers ------------------------------------------------------------------

  /** Images in `images` have an id derived from their name; an id given back finds its image. */
  async imageId(image: string, opts?: CallOptions): Promise<string | undefined> {
    await this.enterEngine('imageId', [image], opts);
    return this.hasImageOrId(image) ? fakeImageId(this.imageNameOf(image)) : undefined;
  }

  /** Like Docker: the image must be there, and a joined container must be running or paused. */
  async runHelper(spec: HelperSpec, opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult> {
    await this.enterEngine('runHelper', [structuredClone(spec), opts?.timeoutMs], opts);
    if (!this.hasImageOrId(spec.image)) throw new FakeEngineError(404, `No such image: ${spec.image}`);
    const joined = spec.networkOf ?? spec.pidOf;
    let target: FakeContainer | undefined;
    if (joined !== undefined) {
      target = this.containerList.find((c) => c.id === joined && !c.removed);
      if (!target) throw new FakeEngineError(404, `No such container: ${joined}`);
      // Docker lets a helper join a paused container's namespaces, not a stopped one's.
      if (target.status !== 'running' && target.status !== 'paused')
        throw conflict(`cannot join container ${target.name}: it is not running`);
    }
    return raceAbort(Promise.resolve(this.helperHandler(spec, target)), opts?.signal);
  }

  // ---- ContainerResources ----------------------------------------------------------------

  async inspectResources(containerId: string, opts?: CallOptions): Promise<ResourceLimits> {
    const c = await this.enter('inspectResources', [containerId], opts);
    return { ...c.resources };
  }

  async updateResources(containerId: string, limits: Partial<ResourceLimits>, opts?: CallOptions): Promise<void> {
    const c = await this.enter('updateResources', [containerId, { ...limits }], opts);
    // Docker 20.10 updates stopped and paused containers too; the limits apply when they run.
    c.resources = { ...c.resources, ...limits };
  }

  // ---- EngineLocks -----------------------------------------------------------------------

  async createLock(name: string, image: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    await this.enterEngine('createLock', [name, image, { ...labels }], opts);
    if (this.locks.has(name) || this.containerList.some((c) => c.name === name && !c.removed)) return false;
    this.locks.set(name, { ...labels });
    return true;
  }

  async readLock(name: string, opts?: CallOptions): Promise<Record<string, string> | undefined> {
    await this.enterEngine('readLock', [name], opts);
    const labels = this.locks.get(name);
    return labels && { ...labels };
  }

  async removeLock(name: string, opts?: CallOptions): Promise<void> {
    await this.enterEngine('removeLock', [name], opts);
    this.locks.delete(name);
  }

  // ---- ProjectDiscovery and EngineIdentity -------------------------------------------------

  async listProjectContainers(project: string, opts?: CallOptions): Promise<ContainerInfo[]> {
    await this.enterEngine('listProjectContainers', [project], opts);
    return this.containerList.filter((c) => c.project === project && !c.removed).map((c) => this.info(c));
  }

  async listProjectNetworks(project: string, opts?: CallOptions): Promise<NetworkInfo[]> {
    await this.enterEngine('listProjectNetworks', [project], opts);
    return this.networkList.filter((n) => n.project === project).map((n) => ({ ...n }));
  }

  async ping(opts?: CallOptions): Promise<{ version: string; apiVersion: string }> {
    await this.enterEngine('ping', [], opts);
    return { version: '20.10.24', apiVersion: '1.41' };
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Records the call (failed calls are recorded too), honours an aborted signal, scripted
   * failures and hooks, then finds the container (404 when unknown or removed).
   */
  private async enter(method: EngineMethod, args: unknown[], opts?: CallOptions): Promise<FakeContainer> {
    await this.enterEngine(method, args, opts);
    const id = String(method === 'disconnect' || method === 'connect' ? args[1] : args[0]);
    const found = this.containerList.find((c) => c.id === id && !c.removed);
    // The Docker adapter turns Docker's 404 into this error; the fake gives the same.
    if (!found) throw new ContainerGoneError(`No such container: ${id}`);
    return found;
  }

  private async enterEngine(method: EngineMethod, args: unknown[], opts?: CallOptions): Promise<void> {
    this.calls.push({ method, args });
    if (opts?.signal?.aborted) throw abortReason(opts.signal);
    const failure = this.failures.get(method)?.shift();
    if (failure) throw failure;
    for (const hook of this.hooks.get(method) ?? []) await hook(args);
  }

  private hasImageOrId(image: string): boolean {
    return this.images.has(this.imageNameOf(image));
  }

  /** The name an image id stands for (the image named as itself when it is no id of ours). */
  private imageNameOf(image: string): string {
    return [...this.images].find((name) => fakeImageId(name) === image) ?? image;
  }

  private bringDown(c: FakeContainer, status: 'exited' | 'paused'): void {
    c.status = status;
    if (status === 'exited') delete c.pid;
    if (c.health !== 'none') c.health = 'unhealthy';
  }

  private bringUp(c: FakeContainer): void {
    this.starts += 1;
    c.status = 'running';
    c.health = c.healthAfterStart;
    c.startedAt = new Date(Date.UTC(2026, 0, 1) + this.starts * 1000).toISOString();
    c.pid = ++this.lastPid;
  }

  /** IPv4 addresses held on a network by containers that exist. */
  private holders(networkId: string): string[] {
    const attached = [...this.containerList.filter((c) => !c.removed).flatMap((c) => c.networks), ...this.seeding];
    return attached.filter((n) => n.networkId === networkId && n.ipv4).map((n) => n.ipv4!);
  }

  private lowestFree(networkId: string, subnet: string): string {
    const held = new Set(this.holders(networkId));
    for (let host = 2; host < 255; host++) if (!held.has(`${subnet}.${host}`)) return `${subnet}.${host}`;
    throw new FakeEngineError(500, `no free address on network ${networkId}`);
  }

  private network(id: string): NetworkInfo {
    const found = this.networkList.find((n) => n.id === id);
    if (!found) throw new FakeEngineError(404, `network ${id} not found`);
    return found;
  }

  private ensureNetwork(name: string, project: string): NetworkInfo {
    const existing = this.networkList.find((n) => n.name === name);
    if (existing) return existing;
    const created = { id: hexId(`network:${name}`), name, project };
    this.networkList.push(created);
    return created;
  }

  private fromSeed(seed: FakeContainerSeed, number: number): FakeContainer {
    const pending: AttachedNetwork[] = [];
    this.seeding = pending;
    const project = seed.project ?? this.project;
    const name = seed.name ?? `${project}-${seed.service}-${number}`;
    const id = seed.id ?? hexId(`container:${name}`);
    const health = seed.health ?? 'none';
    const labels = {
      'com.docker.compose.project': project,
      'com.docker.compose.service': seed.service,
      'com.docker.compose.container-number': String(number),
      ...seed.labels,
    };
    const networks = (seed.networks ?? [`${project}_default`]).map((entry, i): AttachedNetwork => {
      const attached = typeof entry === 'string' ? { networkName: entry, aliases: [seed.service, id.slice(0, 12)] } : entry;
      const networkId = this.ensureNetwork(attached.networkName, project).id;
      const subnet = this.subnets.get(networkId);
      const ipv4 = attached.ipv4 ?? (subnet ? this.lowestFree(networkId, subnet.subnet) : undefined);
      const addressed = ipv4 === undefined || !subnet ? {} : { ipv4, macAddress: attached.macAddress ?? macOf(ipv4) };
      // Seeded addresses count as held at once, so the next container gets the next one.
      const network = { ...attached, ...addressed, networkId, aliases: [...attached.aliases], interfaceName: `eth${i}` };
      pending.push(network);
      return network;
    });
    const status = seed.status ?? 'running';
    const healthAfterStart = seed.healthAfterStart ?? (health === 'none' ? 'none' : 'starting');
    const imageId = seed.imageId ?? `sha256:${hexId(`image:${seed.service}`)}`;
    const resources = { ...NO_LIMITS, ...seed.resources };
    this.seeding = [];
    const container: FakeContainer = {
      id,
      name,
      imageId,
      project,
      service: seed.service,
      number,
      status,
      health,
      healthAfterStart,
      labels,
      networks,
      removed: false,
      resources,
      nextInterface: networks.length,
    };
    if (seed.pidMode !== undefined) container.pidMode = seed.pidMode;
    if (status === 'running' || status === 'paused') container.pid = ++this.lastPid;
    return container;
  }

  private info(c: FakeContainer): ContainerInfo {
    const { id, name, imageId, project, service, number, status, health } = c;
    const networks = c.networks.map(reported);
    return {
      id,
      name,
      imageId,
      project,
      service,
      number,
      status,
      health,
      labels: { ...c.labels },
      networks,
      ...(c.pidMode !== undefined ? { pidMode: c.pidMode } : {}),
    };
  }
}

/** HostConfig of a container started without limits, as Engine 20.10 reports it. */
const NO_LIMITS: ResourceLimits = { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, cpuShares: 0, memory: 0, memorySwap: 0, memoryReservation: 0 };

/** An attachment as the engine reports it: the interface name is known only inside the container. */
function reported(network: AttachedNetwork): AttachedNetwork {
  const { interfaceName: _, ...rest } = network;
  return { ...rest, aliases: [...network.aliases], ...(network.requested ? { requested: { ...network.requested } } : {}) };
}

/** The MAC address Engine 20.10 derives from an IPv4 address: 02:42 and the address's four bytes. */
function macOf(ipv4: string): string {
  return ['02', '42', ...ipv4.split('.').map((part) => Number(part).toString(16).padStart(2, '0'))].join(':');
}

function conflict(message: string): FakeEngineError {
  return new FakeEngineError(409, message);
}

/** The id the fake gives an image of that name, shaped as Docker's: "sha256:<64 hex>". */
export function fakeImageId(name: string): string {
  return `sha256:${hexId(`image-name:${name}`)}`;
}

function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
