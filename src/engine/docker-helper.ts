import type Docker from 'dockerode';
import type { ExecResult, HelperSpec } from './ports.js';

// Placeholder until the helper-container adapter lands.
export async function imagePresent(_docker: Docker, _image: string, _signal?: AbortSignal): Promise<boolean> {
  throw new Error('helper containers are not implemented yet');
}

export async function runHelperContainer(
  _docker: Docker,
  _spec: HelperSpec,
  _opts: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
): Promise<ExecResult> {
  throw new Error('helper containers are not implemented yet');
}
