import type { EngineHostFacts } from './ports.js';

/** The facts `doctor` reports from the engine's `/info`: only those it states, never empty strings. */
export function hostFactsOf(info: Record<string, unknown>): EngineHostFacts {
  const text = (key: string): string | undefined => (typeof info[key] === 'string' && info[key] !== '' ? info[key] : undefined);
  const facts: EngineHostFacts = {};
  const cgroupVersion = text('CgroupVersion');
  const cgroupDriver = text('CgroupDriver');
  const kernelVersion = text('KernelVersion');
  const operatingSystem = text('OperatingSystem');
  if (cgroupVersion) facts.cgroupVersion = cgroupVersion;
  if (cgroupDriver) facts.cgroupDriver = cgroupDriver;
  if (kernelVersion) facts.kernelVersion = kernelVersion;
  if (operatingSystem) facts.operatingSystem = operatingSystem;
  return facts;
}
