import type Docker from 'dockerode';
import type { ResourceLimits } from './ports.js';

// Placeholder until the resource adapter lands.
export async function readResources(_docker: Docker, _id: string, _signal?: AbortSignal): Promise<ResourceLimits> {
  throw new Error('resource limits are not implemented yet');
}

export async function writeResources(_docker: Docker, _id: string, _limits: Partial<ResourceLimits>, _signal?: AbortSignal): Promise<void> {
  throw new Error('resource limits are not implemented yet');
}
