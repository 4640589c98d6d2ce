import Docker from 'dockerode';
import { resolveEndpoint } from './docker-endpoint.js';
import { engineError, isAlreadySo, type IdempotentAction } from './docker-errors.js';
import { runExec } from './docker-exec.js';
import { imageIdOf, runHelperContainer } from './docker-helper.js';
import { createLockContainer, readLockLabels, removeLockContainer } from './docker-locks.js';
import { readResources, writeResources } from './docker-resources.js';
import { COMPOSE_LABEL, isOneOff, toAttachedNetworks, toContainerInfo, toContainerState, type NetworkIdByName } from './docker-inspect.js';
import type {
  AttachedNetwork,
  CallOptions,
  ContainerInfo,
  ContainerState,
  Engine,
  ExecResult,
  HelperSpec,
  NetworkInfo,
  ResourceLimits,
} from './ports.js';

/**
 * The Docker adapter: the one implementation of the engine ports that talks to Docker, and
 * the only module that imports dockerode.
 *
 * Without `host`, the engine is the one DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)
 * names, else the local socket. `host` takes the same forms (unix://, tcp://, ssh://) and lets
 * one drill reach several engines. No call carries docker-modem's idle timeout: callers bound
 * long calls with their AbortSignal.
 */
export function createDockerEngine(opts: { host?: string } = {}): Engine {
  const { endpoint, modemOptions } = resolveEndpoint(opts.host);
  return new DockerEngine(new Docker(modemOptions as Docker.DockerOptions), endpoint);
}

type Abortable = { abortSignal?: AbortSignal };

class DockerEngine implements Engine {
  /** Container names seen so far, so that messages say "demo-app-a-1" rather than an id. */
  private readonly names = new Map<string, string>();
  /** Image names by the ids imageId found, so that messages name a pinned image as people do. */
  private readonly imageNames = new Map<string, string>();

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

  connect(networkId: string, containerId: string, aliases: string[], opts?: CallOptions): Promise<void> {
    const doing = `connect container ${this.label(containerId)} to network ${networkId.slice(0, 12)} with aliases [${aliases.join(', ')}]`;
    return this.idempotent('connect', doing, opts, (abortSignal) =>
      this.docker.getNetwork(networkId).connect({ Container: containerId, EndpointConfig: { Aliases: aliases }, abortSignal } as Docker.NetworkConnectOptions),
    );
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

  runHelper(spec: HelperSpec, opts?: CallOptions & { timeoutMs?: number }): Promise<ExecResult> {
    const target = spec.networkOf ?? spec.pidOf;
    const where = target ? ` beside container ${this.label(target)}` : '';
    return this.call(`run helper \`${spec.command.join(' ')}\` from ${this.imageLabel(spec.image)}${where}`, opts, (signal) =>
      runHelperContainer(this.docker, spec, { timeoutMs: opts?.timeoutMs, signal }),
    );
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

  /** Includes stopped containers; leaves out one-off `compose run` containers. */
  async listProjectContainers(project: string, opts?: CallOptions): Promise<ContainerInfo[]> {
    const listed = await this.call(`list the containers of compose project "${project}"`, opts, (abortSignal) =>
      this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_LABEL.project}=${project}`] }, abortSignal }),
    );
    const idByName = this.networkIdResolver(opts);
    const found = await Promise.all(
      listed.filter((summary) => !isOneOff(summary.Labels)).map(async (summary) => {
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
  private async idempotent(action: IdempotentAction, doing: string, opts: CallOptions | undefined, run: (signal?: AbortSignal) => Promise<unknown>): Promise<void> {
    try {
      await run(opts?.signal);
    } catch (error) {
      if (isAlreadySo(action, error)) return;
      throw engineError(this.endpoint, doing, error, opts?.signal);
    }
  }
}
