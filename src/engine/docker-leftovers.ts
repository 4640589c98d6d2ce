import type Docker from 'dockerode';
import { statusOf } from './docker-errors.js';
import type { OwnContainer } from './ports.js';

/**
 * Finding again the containers firedrill makes for its own use (helpers, locks) by their
 * labels, with what is needed to judge whether they were left behind: their state, when they
 * were made, and which container's namespaces they join.
 */

export async function listOwnContainers(docker: Docker, label: string, signal?: AbortSignal): Promise<OwnContainer[]> {
  const listed = await docker.listContainers({ all: true, filters: { label: [label] }, abortSignal: signal });
  const found = await Promise.all(
    listed.map(async (summary) => {
      try {
        return toOwnContainer(await docker.getContainer(summary.Id).inspect({ abortSignal: signal }));
      } catch (error) {
        if (statusOf(error) === 404) return undefined; // removed meanwhile
        throw error;
      }
    }),
  );
  return found.filter((container): container is OwnContainer => container !== undefined);
}

/** Force-removes a container by id; one that is gone (or going) already is fine. */
export async function removeOwnContainer(docker: Docker, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, abortSignal: signal });
  } catch (error) {
    if (statusOf(error) === 404 || (statusOf(error) === 409 && /already in progress/i.test(String(error)))) return;
    throw error;
  }
}

function toOwnContainer(info: Docker.ContainerInspectInfo): OwnContainer {
  const joins = [info.HostConfig?.NetworkMode, info.HostConfig?.PidMode]
    .map((mode) => /^container:(.+)$/.exec(mode ?? '')?.[1])
    .filter((id): id is string => id !== undefined);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    state: info.State?.Status ?? 'unknown',
    createdAt: info.Created,
    labels: { ...(info.Config?.Labels ?? {}) },
    joins,
  };
}
