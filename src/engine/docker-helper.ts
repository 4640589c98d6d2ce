import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { dockerMessage, isUnreachable, statusOf } from './docker-errors.js';
import { drainOutput } from './docker-output.js';
import { processIdentity } from './process-identity.js';
import type { ExecResult, HelperSpec } from './ports.js';

/**
 * Helper containers: one-shot containers that join a target's network or PID namespace, so
 * that iptables, tc or pkill act on the target without being in its image (or, for the
 * namespace inspector, see the host's processes to read many targets' namespaces by PID).
 *
 * Never left behind:
 * - the helper is created with HostConfig.AutoRemove, so the engine removes it as soon as its
 *   command ends, even if this process was killed meanwhile;
 * - its output is read through an attach made BEFORE start (AutoRemove takes the logs away
 *   with the container), and its exit code through a wait for removal, also registered before
 *   start (the engine answers the wait's headers once it is registered);
 * - whatever happens here (failure, timeout, abort) it is force-removed afterwards, which
 *   also kills a command that would not end; by the name we gave it when the create failed,
 *   since a create can fail after the engine made the container (a connection reset).
 * What remains possible: if this process dies between create and start (a few milliseconds),
 * a created-but-never-started helper stays; it runs nothing and holds no namespace. So it is
 * named firedrill-helper-<random> and labelled (HELPER_LABELS) with firedrill.helper=true, the
 * compose project of its target when known, and who made it (host, boot id, PID namespace,
 * pid): `firedrill recover` finds it, tells whether its maker is gone, and removes it.
 * And a command that never ends keeps its helper until it does: helper commands are short.
 */

/** A helper without a deadline of its own gets this one. */
export const DEFAULT_HELPER_TIMEOUT_MS = 30_000;

/** Removing the helper has its own deadline: it must run after the caller's has passed. */
const REMOVE_TIMEOUT_MS = 15_000;
const REMOVE_POLL_MS = 100;

export const HELPER_LABEL = 'firedrill.helper';

/** What a helper's labels say about it, beyond HELPER_LABEL. */
export const HELPER_LABELS = {
  /** The compose project of the container it joins. */
  project: 'firedrill.project',
  host: 'firedrill.helper.host',
  bootId: 'firedrill.helper.boot-id',
  pidNamespace: 'firedrill.helper.pid-namespace',
  pid: 'firedrill.helper.pid',
} as const;

export class HelperTimeoutError extends Error {
  override name = 'HelperTimeoutError';
}

/** The image's id ("sha256:…") on the engine, or undefined when it has no such image (404). Never pulls. */
export async function imageIdOf(docker: Docker, image: string, signal?: AbortSignal): Promise<string | undefined> {
  let inspected: { Id?: unknown };
  try {
    inspected = await dial(docker, {
      path: `/images/${image}/json`,
      method: 'GET',
      abortSignal: signal,
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
    });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (typeof inspected?.Id !== 'string' || inspected.Id === '') throw new Error(`the engine's description of image ${image} has no id`);
  return inspected.Id;
}

export async function runHelperContainer(
  docker: Docker,
  spec: HelperSpec,
  opts: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined; project?: string | undefined },
): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const streams: Readable[] = [];
  // Named by us, so that a create whose answer was lost (aborted mid-call) can still be removed.
  const name = `firedrill-helper-${randomBytes(8).toString('hex')}`;
  let container: Docker.Container | undefined;
  let outcome: { result: ExecResult } | { error: unknown };
  try {
    container = await createHelperContainer(docker, spec, { name, project: opts.project, signal });
    const output = (await container.attach({ stream: true, stdout: true, stderr: true, abortSignal: signal })) as unknown as Readable;
    streams.push(output);
    const removal = await waitForRemoval(docker, container.id, signal);
    streams.push(removal.stream);
    const drained = drainOutput(docker, output, signal);
    // Neither may reject unobserved while start is awaited.
    drained.catch(() => undefined);
    removal.exitCode.catch(() => undefined);
    await container.start({ abortSignal: signal });
    const [{ stdout, stderr }, exitCode] = await Promise.all([drained, removal.exitCode]);
    outcome = { result: { exitCode, stdout, stderr } };
  } catch (error) {
    const timedOut = deadline.aborted && !opts.signal?.aborted;
    outcome = {
      error: timedOut
        ? new HelperTimeoutError(`did not finish within ${timeoutMs}ms: ${spec.purpose ?? spec.command.join(' ')}`, { cause: error })
        : error,
    };
  } finally {
    for (const stream of streams) stream.destroy();
  }
  // Always: a create that failed may still have created the helper (the connection was cut
  // after the engine acted, the call was aborted), and only its name is known then.
  const leftBehind = await removeHelper(docker, container?.id ?? name);
  // An engine that cannot be reached has no helper to remove; say only that it cannot be reached.
  if (leftBehind && !('error' in outcome && isUnreachable(outcome.error))) {
    const failed = 'error' in outcome ? `${dockerMessage(outcome.error)}; also ` : '';
    throw new Error(`${failed}${leftBehind}`, { cause: 'error' in outcome ? outcome.error : undefined });
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

/** Creates the helper, labelled, without starting it: what a process killed right after this leaves behind. */
export function createHelperContainer(
  docker: Docker,
  spec: HelperSpec,
  opts: { name: string; project?: string | undefined; signal?: AbortSignal },
): Promise<Docker.Container> {
  return docker.createContainer({ ...createOptions(spec, opts.project), name: opts.name, abortSignal: opts.signal });
}

function createOptions(spec: HelperSpec, project: string | undefined): Docker.ContainerCreateOptions {
  const networkMode = spec.isolated ? 'none' : spec.networkOf ? `container:${spec.networkOf}` : undefined;
  return {
    Image: spec.image,
    Cmd: spec.command,
    // The image's entrypoint would change what the command means.
    Entrypoint: [],
    Labels: { ...spec.labels, ...helperLabels(project) },
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      AutoRemove: true,
      ...(networkMode ? { NetworkMode: networkMode } : {}),
      ...(spec.pidOf
        ? { PidMode: `container:${spec.pidOf}` }
        : spec.hostPids
          ? { PidMode: 'host', SecurityOpt: ['no-new-privileges'] }
          : {}),
      ...(spec.capAdd?.length ? { CapAdd: spec.capAdd } : {}),
      ...(spec.dropOtherCapabilities ? { CapDrop: ['ALL'] } : {}),
      ...(spec.readOnlyRoot ? { ReadonlyRootfs: true, Tmpfs: { '/run': 'rw,noexec,nosuid,nodev,size=1m' } } : {}),
    },
  };
}

/** firedrill.helper=true, the target's project, and who made the helper. */
export function helperLabels(project: string | undefined): Record<string, string> {
  const maker = processIdentity();
  return {
    [HELPER_LABEL]: 'true',
    ...(project ? { [HELPER_LABELS.project]: project } : {}),
    [HELPER_LABELS.host]: maker.host,
    [HELPER_LABELS.bootId]: maker.bootId,
    [HELPER_LABELS.pidNamespace]: maker.pidNamespace,
    [HELPER_LABELS.pid]: String(maker.pid),
  };
}

/**
 * Registers a wait for the helper's removal and resolves once the engine has answered the
 * request's headers (API ≥ 1.30 sends them as soon as the wait is registered), so a helper
 * that ends and is auto-removed right after start cannot be missed. `exitCode` resolves with
 * the StatusCode the engine reports when the container is gone.
 */
async function waitForRemoval(
  docker: Docker,
  id: string,
  signal: AbortSignal,
): Promise<{ stream: IncomingMessage; exitCode: Promise<number> }> {
  const stream = await dial<IncomingMessage>(docker, {
    path: `/containers/${id}/wait?`,
    method: 'POST',
    query: { condition: 'removed' },
    isStream: true,
    abortSignal: signal,
    statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 500: 'server error' },
  });
  const exitCode = new Promise<number>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const answer = JSON.parse(body) as { StatusCode?: number; Error?: { Message?: string } | null };
        if (answer.Error?.Message) reject(new Error(`the engine could not wait for the helper: ${answer.Error.Message}`));
        else if (typeof answer.StatusCode === 'number') resolve(answer.StatusCode);
        else reject(new Error(`the engine's answer to the wait has no exit code: ${body.slice(0, 200)}`));
      } catch {
        reject(new Error(`the engine's answer to the wait is not JSON: ${body.slice(0, 200)}`));
      }
    });
    stream.once('close', () => reject(new Error('the engine closed the wait before the helper was removed')));
  });
  return { stream, exitCode };
}

/**
 * Force-removes the helper (killing it if it still runs) and waits until it is gone.
 * Resolves undefined when it is gone, or with a message saying how to remove it by hand.
 */
async function removeHelper(docker: Docker, id: string): Promise<string | undefined> {
  const signal = AbortSignal.timeout(REMOVE_TIMEOUT_MS);
  const shown = /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
  const container = docker.getContainer(id);
  try {
    await container.remove({ force: true, abortSignal: signal });
    return undefined;
  } catch (error) {
    // 404: AutoRemove was first. 409 "removal already in progress": wait for it to finish.
    if (statusOf(error) === 404) return undefined;
    if (statusOf(error) !== 409)
      return `helper container ${shown} could not be removed (${dockerMessage(error)}) — remove it with \`docker rm -f ${id}\``;
  }
  try {
    while (!signal.aborted) {
      await container.inspect({ abortSignal: signal });
      await sleep(REMOVE_POLL_MS, undefined, { signal });
    }
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
  }
  return `helper container ${shown} was still being removed after ${REMOVE_TIMEOUT_MS}ms — check with \`docker ps -a --filter label=${HELPER_LABEL}=true\``;
}

interface DialOptions {
  /** Ends with "?" when `query` is given (the modem appends the query string). */
  path: string;
  query?: Record<string, string>;
  method: 'GET' | 'POST';
  isStream?: boolean;
  abortSignal?: AbortSignal | undefined;
  statusCodes: Record<number, true | string>;
}

/** A raw API call through dockerode's modem, for the calls dockerode does not expose as needed. */
function dial<T>(docker: Docker, options: DialOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const { abortSignal, query, ...rest } = options;
    docker.modem.dial(
      { ...rest, ...(query ? { options: { _query: query, _body: {} } } : {}), ...(abortSignal ? { abortSignal } : {}) } as Parameters<
        Docker['modem']['dial']
      >[0],
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as T)),
    );
  });
}
