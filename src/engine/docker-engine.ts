import Docker from 'dockerode';
import { resolveEndpoint } from './docker-endpoint.js';
import { engineError, isAlreadySo, type IdempotentAction } from './docker-errors.js';
import { runExec } from './docker-exec.js';
import { imageIdOf, runHelperContainer } from './docker-helper.js';
import { listOwnContainers, removeOwnContainer } from './docker-leftovers.js';
import { createLockContainer, readLockLabels, removeLockContainer } from './docker-locks.js';
import { readResources, writeResources } from './docker-resources.js';
import { COMPOSE_LABEL, isOneOff, toAttachedNetworks, toContainerInfo, toContainerState, type NetworkIdByName } from './docker-inspect.js';
import { AddressRefusedError, addressRefusalOf } from './address-refused.js';
import { messageOf } from '../errors.js';
import type {
  AttachedNetwork,
  CallOptions,
  ContainerInfo,
  ContainerProjects,
  ContainerState,
  EndpointRequest,
  EndpointSupport,
  Engine,
  EngineHost,
  EngineHostFacts,
  ExecResult,
  HelperSpec,
  NetworkInfo,
  OwnContainer,
  OwnContainers,
  ResourceLimits,
} from './ports.js';
import { hostFactsOf } from './docker-host-facts.js';

/**
 * The Docker adapter: the one implementation of the engine ports that talks to Docker, and
 * the only module that imports dockerode.
 *
 * Without `host`, the engine is the one DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)
 * names, else the local socket. `host` takes the same forms (unix://, tcp://, ssh://) and lets
 * one drill reach several engines. No call carries docker-modem's idle timeout: callers bound
 * long calls with their AbortSignal.
 */
export function createDockerEngine(opts: { host?: string } = {}): Engine & OwnContainers & ContainerProjects & EngineHost {
  const { endpoint, modemOptions } = resolveEndpoint(opts.host);
  return new DockerEngine(new Docker(modemOptions as Docker.DockerOptions), endpoint);
}

type Abortable = { abortSignal?: AbortSignal };

class DockerEngine implements Engine, OwnContainers, ContainerProjects, EngineHost {
  /** Container names seen so far, so that messages say "demo-app-a-1" rather than an id. */
  private readonly names = new Map<string, string>();
  /** The compose project of each container seen so far ('' for none): a helper beside one is labelled with it. */
  private readonly projects = new Map<string, string>();
  /** Image names by the ids imageId found, so that messages name a pinned image as people do. */
  private readonly imageNames = new Map<string, string>();
  /** What connect may ask this engine for, once known. */
  private support: Promise<EndpointSupport> | undefined;

  constructor(
    private readonly docker: Docker,
    readonly endpoint: string,
  ) {}

  async ping(opts?: CallOptions): Promise<{ version: string; apiVersion: string }> {
    // dockerode accepts options (abortSignal) here; its type declarations do not say so.
    const withOptions = this.docker.version as unknown as (options: Abortable) => Promise<Docker.DockerVersion>;
    const version = await this.call('ask the engine for its version', opts, (abortSignal) =>
      withOptions.call(this.docker, { abortSignal }),
    );
    return { version: version.Version, apiVersion: version.ApiVersion };
  }

  async hostFacts(opts?: CallOptions): Promise<EngineHostFacts> {
    // As for version(): dockerode passes the abortSignal on; its type declarations do not say so.
    const withOptions = this.docker.info as unknown as (options: Abortable) => Promise<Record<string, unknown>>;
    const info = await this.call('ask the engine about its host', opts, (abortSignal) => withOptions.call(this.docker, { abortSignal }));
    return hostFactsOf(info);
  }

  kill(id: string, signal = 'SIGKILL', opts?: CallOptions): Promise<void> {
    return this.idempotent('kill', `kill container ${this.label(id)} with ${signal}`, opts, (abortSignal) =>
      this.docker.getContainer(id).kill({ signal, abortSignal }),
    );
  }

  stop(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    const grace = opts?.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds };
    return this.idempotent('stop', `stop container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).stop({ ...grace, abortSignal }),
    );
  }

  start(id: string, opts?: CallOptions): Promise<void> {
    return this.idempotent('start', `start container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).start({ abortSignal }),
    );
  }

  async restart(id: string, opts?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    const grace = opts?.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds };
    await this.call(`restart container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).restart({ ...grace, abortSignal } as Abortable),
    );
  }

  pause(id: string, opts?: CallOptions): Promise<void> {
    return this.idempotent('pause', `pause container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).pause({ abortSignal } as Abortable),
    );
  }

  unpause(id: string, opts?: CallOptions): Promise<void> {
    return this.idempotent('unpause', `unpause container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).unpause({ abortSignal } as Abortable),
    );
  }

  async inspectState(id: string, opts?: CallOptions): Promise<ContainerState> {
    return toContainerState(await this.inspect(id, opts));
  }

  async attachedNetworks(containerId: string, opts?: CallOptions): Promise<AttachedNetwork[]> {
    const info = await this.inspect(containerId, opts);
    return toAttachedNetworks(info, this.networkIdResolver(opts));
  }

  disconnect(networkId: string, containerId: string, opts?: CallOptions): Promise<void> {
    const doing = `disconnect container ${this.label(containerId)} from network ${networkId.slice(0, 12)}`;
    return this.idempotent('disconnect', doing, opts, (abortSignal) =>
      this.docker.getNetwork(networkId).disconnect({ Container: containerId, abortSignal }),
    );
  }

  async connect(networkId: string, containerId: string, endpoint: EndpointRequest, opts?: CallOptions): Promise<void> {
    const support = await this.endpointSupport(opts);
    const config = endpointConfig(endpoint, support);
    const doing = `connect container ${this.label(containerId)} to network ${networkId.slice(0, 12)} as ${endpointWords(endpoint)}`;
    try {
      await this.idempotent('connect', doing, opts, (abortSignal) =>
        this.docker
          .getNetwork(networkId)
          .connect({ Container: containerId, EndpointConfig: config, abortSignal } as Docker.NetworkConnectOptions),
      );
    } catch (error) {
      const refusal = config.IPAMConfig ? addressRefusalOf(messageOf(error)) : undefined;
      if (refusal) throw new AddressRefusedError(messageOf(error), refusal, { cause: error });
      throw error;
    }
  }

  /** Asked once per engine: the API version says what connect may ask for. */
  endpointSupport(opts?: CallOptions): Promise<EndpointSupport> {
    this.support ??= this.ping(opts).then(
      ({ apiVersion }) => ({ macAddress: atLeast(apiVersion, 1, 44), interfaceName: atLeast(apiVersion, 1, 48) }),
      (error: unknown) => {
        this.support = undefined;
        throw error;
      },
    );
    return this.support;
  }

  exec(containerId: string, command: string[], opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult> {
    return this.call(`run \`${command.join(' ')}\` in container ${this.label(containerId)}`, opts, (signal) =>
      runExec(this.docker, containerId, command, { timeoutMs: opts?.timeoutMs, signal }),
    );
  }

  async imageId(image: string, opts?: CallOptions): Promise<string | undefined> {
    const id = await this.call(`look for image ${image}`, opts, (signal) => imageIdOf(this.docker, image, signal));
    if (id !== undefined && id !== image) this.imageNames.set(id, image);
    return id;
  }

  async runHelper(spec: HelperSpec, opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult> {
    const target = spec.networkOf ?? spec.pidOf;
    const project = spec.project ?? (target ? await this.projectOf(target, opts) : undefined);
    const where = target ? ` beside container ${this.label(target)}` : '';
    const what = spec.purpose ? `a helper to ${spec.purpose}` : `helper \`${spec.command.join(' ')}\``;
    return this.call(`run ${what} from ${this.imageLabel(spec.image)}${where}`, opts, (signal) =>
      runHelperContainer(this.docker, spec, { timeoutMs: opts?.timeoutMs, signal, project }),
    );
  }

  /**
   * The compose project of a helper's target, for the helper's label (so `recover` finds it
   * even once the target is gone): known from discovery, else inspected once. Unknown is no
   * error: the helper's own call reports a target that is not there.
   */
  private async projectOf(id: string, opts?: CallOptions): Promise<string | undefined> {
    if (!this.projects.has(id)) await this.inspect(id, opts).catch(() => undefined);
    return this.projects.get(id) || undefined;
  }

  inspectResources(containerId: string, opts?: CallOptions): Promise<ResourceLimits> {
    return this.call(`read the resource limits of container ${this.label(containerId)}`, opts, (signal) =>
      readResources(this.docker, containerId, signal),
    );
  }

  updateResources(containerId: string, limits: Partial<ResourceLimits>, opts?: CallOptions): Promise<void> {
    return this.call(`update the resource limits of container ${this.label(containerId)}`, opts, (signal) =>
      writeResources(this.docker, containerId, limits, signal),
    );
  }

  createLock(name: string, image: string, labels: Record<string, string>, opts?: CallOptions): Promise<boolean> {
    return this.call(`create lock ${name}`, opts, (signal) => createLockContainer(this.docker, name, image, labels, signal));
  }

  readLock(name: string, opts?: CallOptions): Promise<Record<string, string> | undefined> {
    return this.call(`read lock ${name}`, opts, (signal) => readLockLabels(this.docker, name, signal));
  }

  removeLock(name: string, opts?: CallOptions): Promise<void> {
    return this.call(`remove lock ${name}`, opts, (signal) => removeLockContainer(this.docker, name, signal));
  }

  listOwnContainers(label: string, opts?: CallOptions): Promise<OwnContainer[]> {
    return this.call(`list the containers labelled ${label}`, opts, (signal) => listOwnContainers(this.docker, label, signal));
  }

  removeOwnContainer(id: string, opts?: CallOptions): Promise<void> {
    return this.call(`remove container ${this.label(id)}`, opts, (signal) => removeOwnContainer(this.docker, id, signal));
  }

  async composeProjectOf(containerId: string, opts?: CallOptions): Promise<string | null | undefined> {
    const info = await this.inspect(containerId, opts).catch((error: unknown) => {
      if (/no such container/i.test(String(error))) return undefined;
      throw error;
    });
    return info && (info.Config?.Labels?.[COMPOSE_LABEL.project] ?? null);
  }

  /** Includes stopped containers; leaves out one-off `compose run` containers. */
  async listProjectContainers(project: string, opts?: CallOptions): Promise<ContainerInfo[]> {
    const listed = await this.call(`list the containers of compose project "${project}"`, opts, (abortSignal) =>
      this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_LABEL.project}=${project}`] }, abortSignal }),
    );
    const idByName = this.networkIdResolver(opts);
    const found = await Promise.all(
      listed
        .filter((summary) => !isOneOff(summary.Labels))
        .map(async (summary) => {
          const info = await this.inspect(summary.Id, opts).catch((error: unknown) => {
            if (/no such container/i.test(String(error))) return undefined; // removed meanwhile
            throw error;
          });
          return info && toContainerInfo(info, idByName);
        }),
    );
    return found.filter((container): container is ContainerInfo => container !== undefined);
  }

  async listProjectNetworks(project: string, opts?: CallOptions): Promise<NetworkInfo[]> {
    const networks = await this.call(`list the networks of compose project "${project}"`, opts, (abortSignal) =>
      this.docker.listNetworks({ filters: { label: [`${COMPOSE_LABEL.project}=${project}`] }, abortSignal }),
    );
    return networks.map((network) => ({ id: network.Id, name: network.Name, project }));
  }

  private async inspect(id: string, opts?: CallOptions): Promise<Docker.ContainerInspectInfo> {
    const info = await this.call(`inspect container ${this.label(id)}`, opts, (abortSignal) =>
      this.docker.getContainer(id).inspect({ abortSignal }),
    );
    this.names.set(info.Id, info.Name.replace(/^\//, ''));
    this.projects.set(info.Id, info.Config?.Labels?.[COMPOSE_LABEL.project] ?? '');
    return info;
  }

  /** Memoised per call: one lookup per network name however many containers share it. */
  private networkIdResolver(opts?: CallOptions): NetworkIdByName {
    const cache = new Map<string, Promise<string>>();
    return (name) => {
      let id = cache.get(name);
      if (!id) {
        // dockerode's network inspect takes no abortSignal; it is a short call.
        id = this.call(`inspect network ${name}`, opts, () => this.docker.getNetwork(name).inspect()).then(
          (network: Docker.NetworkInspectInfo) => network.Id,
        );
        cache.set(name, id);
      }
      return id;
    };
  }

  private label(id: string): string {
    return this.names.get(id) ?? id.slice(0, 12);
  }

  /** "firedrill-base:bookworm (sha256:66a90b4ebb3a)" for a pinned image whose name this engine looked up. */
  private imageLabel(image: string): string {
    const name = this.imageNames.get(image);
    const short = /^sha256:[0-9a-f]{64}$/.test(image) ? image.slice(0, 19) : image;
    return name ? `${name} (${short})` : short;
  }

  private async call<T>(doing: string, opts: CallOptions | undefined, run: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await run(opts?.signal);
    } catch (error) {
      throw engineError(this.endpoint, doing, error, opts?.signal);
    }
  }

  /** "Already so" answers are success: reverts and repeated injections must be harmless. */
  private async idempotent(
    action: IdempotentAction,
    doing: string,
    opts: CallOptions | undefined,
    run: (signal?: AbortSignal) => Promise<unknown>,
  ): Promise<void> {
    try {
      await run(opts?.signal);
    } catch (error) {
      if (isAlreadySo(action, error)) return;
      throw engineError(this.endpoint, doing, error, opts?.signal);
    }
  }
}

/** Docker's EndpointConfig for a request: only what this engine takes, so older engines are never sent fields they would misread. */
function endpointConfig(endpoint: EndpointRequest, support: EndpointSupport): Record<string, unknown> {
  const config: Record<string, unknown> = { Aliases: endpoint.aliases };
  if (endpoint.ipv4 || endpoint.ipv6) {
    config['IPAMConfig'] = {
      ...(endpoint.ipv4 ? { IPv4Address: endpoint.ipv4 } : {}),
      ...(endpoint.ipv6 ? { IPv6Address: endpoint.ipv6 } : {}),
    };
  }
  if (endpoint.macAddress && support.macAddress) config['MacAddress'] = endpoint.macAddress;
  if (endpoint.interfaceName && support.interfaceName)
    config['DriverOpts'] = { 'com.docker.network.endpoint.ifname': endpoint.interfaceName };
  return config;
}

function endpointWords(endpoint: EndpointRequest): string {
  const addresses = [endpoint.ipv4, endpoint.ipv6].filter(Boolean);
  return `aliases [${endpoint.aliases.join(', ')}]${addresses.length > 0 ? `, address ${addresses.join(' and ')}` : ''}`;
}

/** Whether an API version ("1.41") is at least major.minor. */
export function atLeast(apiVersion: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = apiVersion.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return a > major || (a === major && b >= minor);
}
