import type Docker from 'dockerode';

// Placeholder until the engine lock adapter lands.
export async function createLockContainer(
  _docker: Docker,
  _name: string,
  _image: string,
  _labels: Record<string, string>,
  _signal?: AbortSignal,
): Promise<boolean> {
  throw new Error('engine locks are not implemented yet');
}

export async function readLockLabels(_docker: Docker, _name: string, _signal?: AbortSignal): Promise<Record<string, string> | undefined> {
  throw new Error('engine locks are not implemented yet');
}

export async function removeLockContainer(_docker: Docker, _name: string, _signal?: AbortSignal): Promise<void> {
  throw new Error('engine locks are not implemented yet');
}
