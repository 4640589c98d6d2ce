import type { EngineHost } from '../engine/ports.js';
import { finding, type Finding } from './findings.js';

/** The engine host's cgroup version (resource-limit faults act on cgroups), with its kernel. */
export async function checkCgroup(engine: EngineHost, apiVersion: string | undefined, signal: AbortSignal): Promise<Finding> {
  const facts = await engine.hostFacts({ signal });
  if (!facts.cgroupVersion) return finding('cgroup', 'warn', 'cgroup.unknown', apiVersion ? { apiVersion } : {});
  return finding('cgroup', 'ok', 'cgroup.version', {
    version: facts.cgroupVersion,
    ...(facts.cgroupDriver ? { driver: facts.cgroupDriver } : {}),
    ...(facts.kernelVersion ? { kernel: facts.kernelVersion } : {}),
  });
}
