import type Docker from 'dockerode';
import { dockerMessage, statusOf } from './docker-errors.js';

/**
 * Engine locks as containers that are created and never started. Docker makes container names
 * unique atomically, so "create a container named X" is a test-and-set that every client of
 * the engine sees, from whatever machine. The container:
 * - carries only the labels it is given (never compose's), so no compose project and no
 *   discovery ever counts it as one of its containers;
 * - has no network (NetworkMode none) and an entrypoint that does nothing, so starting it by
 *   mistake is harmless;
 * - uses an image already on the engine (the caller passes one): nothing is ever pulled.
 */

/** Resolves false (creating nothing) when a container of that name exists already. */
export async function createLockContainer(
  docker: Docker,
  name: string,
  image: string,
  labels: Record<string, string>,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await docker.createContainer({
      name,
      Image: image,
      Entrypoint: ['true'],
      Cmd: [],
      Labels: { ...labels },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'no' } },
      abortSignal: signal,
    } as Docker.ContainerCreateOptions);
    return true;
  } catch (error) {
    if (isNameConflict(error)) return false;
    throw error;
  }
}

/** The lock container's labels, or undefined when there is no container of that name. */
export async function readLockLabels(docker: Docker, name: string, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
  try {
    const info = await docker.getContainer(name).inspect({ abortSignal: signal });
    return { ...(info.Config.Labels ?? {}) };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Removes the lock container; one that is gone (or going) already is fine. */
export async function removeLockContainer(docker: Docker, name: string, signal?: AbortSignal): Promise<void> {
  try {
    // force: a lock somebody started by mistake must still go.
    await docker.getContainer(name).remove({ force: true, abortSignal: signal });
  } catch (error) {
    if (isNotFound(error) || isRemovalInProgress(error)) return;
    throw error;
  }
}

/** Engine 20.10: 409 "Conflict. The container name "/x" is already in use by container …". */
function isNameConflict(error: unknown): boolean {
  return statusOf(error) === 409 && /already in use/i.test(dockerMessage(error));
}

function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

function isRemovalInProgress(error: unknown): boolean {
  return statusOf(error) === 409 && /removal of container .* is already in progress/i.test(dockerMessage(error));
}
