import type { Engine } from '../../../src/engine/ports.js';
import type { Fault, FaultRecord } from '../../../src/faults/fault.js';
import { DEFAULT_HELPER_IMAGE } from '../../../src/plan/plan.js';
import { faultContext, recordFor, type FixtureProject } from '../compose-project.js';

/**
 * Test support for the container-level faults (resource-limits, process-kill, disk-fill)
 * against the container-faults fixture.
 */

/** A fault record as planning builds it: targets pinned, helper image pinned, preflight run. */
export async function plannedRecord<Spec extends { kind: string }>(
  fault: Fault<Spec>,
  input: unknown,
  project: FixtureProject,
): Promise<FaultRecord<Spec>> {
  const record = {
    ...recordFor(fault, input, await project.discover()),
    ...(fault.usesHelper ? { helperImage: DEFAULT_HELPER_IMAGE } : {}),
  };
  return (await fault.preflight?.(record, faultContext(project.engine))) ?? record;
}

/** Runs a shell script in a container; its trimmed stdout, or an error with its exit code. */
export async function sh(engine: Engine, containerId: string, script: string): Promise<string> {
  const result = await engine.exec(containerId, ['sh', '-c', script], { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`\`${script}\` exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout.trim();
}

/** The exit code of a shell script in a container. */
export async function exitCodeOf(engine: Engine, containerId: string, script: string): Promise<number> {
  return (await engine.exec(containerId, ['sh', '-c', script], { timeoutMs: 15_000 })).exitCode;
}
