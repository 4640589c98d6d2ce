import { HELPER_LABEL, HELPER_LABELS } from '../engine/docker-helper.js';
import { messageOf } from '../errors.js';
import type { OwnContainer, OwnContainers } from '../engine/ports.js';
import {
  describeHolder,
  LOCK_LABELS,
  parseHolder,
  sharesPids,
  staleness,
  type LockEnvironment,
  type LockHolder,
} from '../lock/lock-holder.js';

/**
 * What firedrill itself left on a project's engine when it was killed, found by the labels it
 * gave them, judged, and removed by `recover`:
 * - helper containers created and never started (killed between create and start, where
 *   auto-remove never fires) beside one of the project's containers;
 * - takeover markers of the project's lock whose maker is gone.
 * (A stale lock itself is taken over and released through project-lock.ts, race-free.)
 * A container whose maker may still be at work is never removed: a helper that runs, or whose
 * maker's process is alive, is in use.
 */

/**
 * A never-started helper whose maker cannot be checked (another host or PID namespace, or a
 * version of firedrill that did not label its maker) is left behind once it is older than this.
 * Its maker starts it within milliseconds of creating it; at worst, a `plan` still at work on
 * another machine finds its helper gone and fails, having changed nothing.
 */
export const NEVER_STARTED_AFTER_MS = 30_000;

/** States in which a helper may be doing its job: left alone. */
const IN_USE_STATES = new Set(['running', 'paused', 'restarting', 'removing']);

export interface LeftoverContainer {
  id: string;
  name: string;
  /** What it was, for people: "helper container beside shop-app-1, never started, made by pid 4242 on ci-1". */
  what: string;
}

export interface KeptContainer extends LeftoverContainer {
  /** Why it was left: "its maker, pid 4242, is still running". */
  why: string;
}

export interface FailedContainer extends LeftoverContainer {
  /** What the engine answered when asked to remove it. */
  error: string;
}

/**
 * What a sweep did. A container the engine would not remove (a 500 "device or resource busy",
 * a remote engine gone mid-way) is reported in `failed` and the sweep goes on: nothing left
 * here holds a fault, so it never stands in the way of the rest.
 */
export interface LeftoverSweep {
  removed: LeftoverContainer[];
  kept: KeptContainer[];
  failed: FailedContainer[];
}

/**
 * Removes the helpers left beside the project's containers. A helper is the project's when its
 * label says so (firedrill.project), or — made by a version that did not say — when it joins
 * the namespace of one of `projectContainerIds`. Call it holding the project's lock.
 */
export async function sweepLeftoverHelpers(
  engine: OwnContainers,
  project: string,
  projectContainerIds: ReadonlySet<string>,
  names: ReadonlyMap<string, string>,
  env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace' | 'isAlive'>,
): Promise<LeftoverSweep> {
  const sweep: LeftoverSweep = { removed: [], kept: [], failed: [] };
  for (const helper of await engine.listOwnContainers(`${HELPER_LABEL}=true`)) {
    if (!isOfProject(helper, project, projectContainerIds)) continue;
    const what = describeHelper(helper, names);
    const why = whyInUse(helper, env);
    if (why) {
      sweep.kept.push({ id: helper.id, name: helper.name, what, why });
      continue;
    }
    await remove(engine, { id: helper.id, name: helper.name, what }, sweep);
  }
  return sweep;
}

/**
 * Removes the project lock's takeover markers whose maker is gone (lock-holder.ts rules), and,
 * when `includeLock`, the lock itself if stale. Call it holding the project's lock, or when the
 * project has no container left (no drill can take the lock then); `ownLock` is never touched.
 */
export async function sweepStaleLocks(
  engine: OwnContainers & { readonly endpoint: string },
  project: string,
  env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace' | 'isAlive'>,
  ownLock: string | undefined,
): Promise<LeftoverSweep> {
  const sweep: LeftoverSweep = { removed: [], kept: [], failed: [] };
  for (const lock of await engine.listOwnContainers(`${LOCK_LABELS.project}=${project}`)) {
    if (lock.name === ownLock || lock.labels[LOCK_LABELS.lock] !== 'true' || lock.labels[LOCK_LABELS.project] !== project) continue;
    const holder = parseHolder(lock.name, lock.labels, engine.endpoint);
    const what = `${lock.labels[LOCK_LABELS.takeoverOf] !== undefined ? 'lock takeover marker' : 'project lock'} ${lock.name} of ${describeHolder(holder)}`;
    const stale = staleness(holder, env);
    if (!stale) {
      sweep.kept.push({ id: lock.id, name: lock.name, what, why: 'its holder is still in force' });
      continue;
    }
    await remove(
      engine,
      {
        id: lock.id,
        name: lock.name,
        what: `${what} (${stale === 'expired' ? `it lapsed at ${holder.expiresAt}` : 'its process is gone'})`,
      },
      sweep,
    );
  }
  return sweep;
}

/** Removes one container, recording in `sweep` whether the engine did. */
async function remove(engine: OwnContainers, container: LeftoverContainer, sweep: LeftoverSweep): Promise<void> {
  try {
    await engine.removeOwnContainer(container.id);
    sweep.removed.push(container);
  } catch (error) {
    sweep.failed.push({ ...container, error: messageOf(error) });
  }
}

function isOfProject(helper: OwnContainer, project: string, projectContainerIds: ReadonlySet<string>): boolean {
  const labelled = helper.labels[HELPER_LABELS.project];
  if (labelled !== undefined) return labelled === project;
  return helper.joins.some((id) => projectContainerIds.has(id));
}

/** Why a helper may still be at work, or undefined when it was left behind. */
function whyInUse(
  helper: OwnContainer,
  env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace' | 'isAlive'>,
): string | undefined {
  if (IN_USE_STATES.has(helper.state))
    return `it is ${helper.state}: a helper at work is never removed (it ends by itself; a command that hangs needs \`docker rm -f ${helper.id.slice(0, 12)}\`)`;
  const maker = makerOf(helper);
  if (maker && sharesPids(maker, env)) return env.isAlive(maker.pid) ? `its maker, pid ${maker.pid}, is still running` : undefined;
  const ageMs = env.now().getTime() - Date.parse(helper.createdAt);
  if (!(ageMs >= NEVER_STARTED_AFTER_MS)) {
    return `its maker cannot be checked from here and it is only ${Math.max(0, Math.round(ageMs / 1000))}s old — run recover again in ${NEVER_STARTED_AFTER_MS / 1000}s`;
  }
  return undefined;
}

/** Who made a helper, when its labels say (helpers made by older versions do not). */
function makerOf(helper: OwnContainer): (Pick<LockHolder, 'host' | 'bootId' | 'pidNamespace'> & { pid: number }) | undefined {
  const pid = Number.parseInt(helper.labels[HELPER_LABELS.pid] ?? '', 10);
  const host = helper.labels[HELPER_LABELS.host];
  if (!Number.isSafeInteger(pid) || pid <= 0 || host === undefined) return undefined;
  return { host, bootId: helper.labels[HELPER_LABELS.bootId] ?? '', pidNamespace: helper.labels[HELPER_LABELS.pidNamespace] ?? '', pid };
}

function describeHelper(helper: OwnContainer, names: ReadonlyMap<string, string>): string {
  const beside = helper.joins.map((id) => names.get(id) ?? id.slice(0, 12));
  const where = beside.length > 0 ? ` beside ${beside.join(', ')}` : '';
  const state = helper.state === 'created' ? 'never started' : helper.state;
  const maker = makerOf(helper);
  const by = maker ? `, made by pid ${maker.pid} on ${maker.host || '?'}` : '';
  return `helper container ${helper.name}${where} (${state}${by}, created ${helper.createdAt})`;
}
