import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { ContainerInfo, Engine } from '../../src/engine/ports.js';
import type { Fault, FaultRecord } from '../../src/faults/fault.js';
import { projectLockName } from '../../src/lock/project-lock.js';
import { composeDown, composeUp } from '../../src/topology/compose-cli.js';
import { discoverTopology } from '../../src/topology/discover.js';
import type { Topology } from '../../src/topology/topology.js';

/**
 * Test support: compose projects started from test/fixtures/compose/<fixture> under a unique
 * project name, discovered with discoverTopology, and removed (with their volumes) afterwards.
 */

export const REGION_LABEL = 'firedrill.region';

export interface FixtureProject {
  project: string;
  file: string;
  engine: Engine;
  /** A fresh discovery (the playbook's `regions` mapping optional). */
  discover(regions?: Record<string, string[]>): Promise<Topology>;
  /** The (first) container of a service, as discovered now. */
  container(service: string): Promise<ContainerInfo>;
}

export function fixtureFile(fixture: string): string {
  return fileURLToPath(new URL(`../fixtures/compose/${fixture}/docker-compose.yml`, import.meta.url));
}

export async function startFixtureProject(fixture: string, engine: Engine = createDockerEngine()): Promise<FixtureProject> {
  const project = `fdtest-${randomBytes(4).toString('hex')}`;
  const file = fixtureFile(fixture);
  try {
    await composeUp({ file, project, wait: true, waitTimeoutMs: 90_000, engine });
  } catch (error) {
    await composeDown({ file, project, volumes: true }).catch(() => undefined);
    throw error;
  }
  const discover = (regions?: Record<string, string[]>) =>
    discoverTopology(engine, { project, regionLabel: REGION_LABEL, ...(regions ? { regions } : {}) });
  return {
    project,
    file,
    engine,
    discover,
    async container(service) {
      const found = (await discover()).services.find((s) => s.name === service)?.containers[0];
      if (!found) throw new Error(`service ${service} has no container in ${project}`);
      return found;
    },
  };
}

/**
 * Removes the project, and the drill lock a test may have left on it on purpose (a SIGKILLed
 * run keeps its lock until the next run takes it over) — that one lock, by its exact name.
 */
export async function stopFixtureProject(project: FixtureProject): Promise<void> {
  await composeDown({ file: project.file, project: project.project, volumes: true });
  await project.engine.removeLock(projectLockName(project.project));
}

/**
 * Starts `count` projects of a fixture in parallel before the file's tests and removes them
 * after; the returned function gives them to the tests.
 */
export function useFixtureProjects(fixture: string, count = 1): () => FixtureProject[] {
  const projects: FixtureProject[] = [];
  beforeAll(async () => {
    const started = await Promise.allSettled(Array.from({ length: count }, () => startFixtureProject(fixture)));
    for (const result of started) if (result.status === 'fulfilled') projects.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    await Promise.all(projects.map(stopFixtureProject));
  });
  return () => projects;
}

/** What "the topology is as before" means: status, and the networks with their aliases. */
export interface ObservedContainer {
  service: string;
  name: string;
  status: string;
  networks: { name: string; aliases: string[] }[];
}

export async function observe(project: FixtureProject): Promise<ObservedContainer[]> {
  const topology = await project.discover();
  return topology.services.flatMap((service) =>
    service.containers.map((c) => ({
      service: c.service,
      name: c.name,
      status: c.status,
      networks: c.networks.map((n) => ({ name: n.networkName, aliases: [...n.aliases].sort() })),
    })),
  );
}

/** A fault record as the runner builds it: spec parsed, targets pinned from the topology. */
export function recordFor<Spec extends { kind: string }>(fault: Fault<Spec>, input: unknown, topology: Topology): FaultRecord<Spec> {
  const spec = fault.schema.parse(input);
  return { ref: 'test', kind: fault.kind, revertible: fault.revertible, spec, targets: fault.targets(spec, topology) };
}

/** Resolves a name through Docker's DNS from inside a container; undefined when it does not resolve. */
export async function resolveFrom(engine: Engine, containerId: string, name: string): Promise<string | undefined> {
  const result = await engine.exec(containerId, ['getent', 'hosts', name], { timeoutMs: 10_000 });
  return result.exitCode === 0 ? result.stdout.trim().split(/\s+/)[0] : undefined;
}

export function faultContext(engine: Engine, timeoutMs = 60_000) {
  return { engine, signal: AbortSignal.timeout(timeoutMs) };
}

/** Polls a container's status until it is `status` (bounded); returns the last status seen. */
export async function waitForStatus(engine: Engine, containerId: string, status: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen = (await engine.inspectState(containerId)).status as string;
  while (seen !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = (await engine.inspectState(containerId)).status;
  }
  return seen;
}
