import type { ContainerInfo, EngineIdentity, EngineLocks } from '../engine/ports.js';
import { EnvironmentError } from '../errors.js';
import type { Playbook } from '../playbook/schema.js';
import { RESTORE_MIN_MS, STEADY_AFTER_EXTRA_MS } from '../run/drill-runner.js';
import type { ProjectLockFacts } from '../journal/events.js';
import {
  aliveHerePastExpiry,
  describeHolder,
  holderLabels,
  LOCK_LABELS,
  parseHolder,
  processLockEnvironment,
  sharesPids,
  staleness,
  type LockEnvironment,
  type LockHolder,
  type StaleReason,
} from './lock-holder.js';
import { REVERT_TIMEOUT_MS } from '../run/rollback-ledger.js';

export { describeHolder, LOCK_LABELS, processIsAlive, processLockEnvironment, staleness } from './lock-holder.js';
export type { LockEnvironment, LockHolder, StaleReason } from './lock-holder.js';

/**
 * One drill (or recovery) per compose project at a time, across processes and machines that
 * share the engine: the lock is a never-started container named after the project on the
 * project's own engine (see EngineLocks). Its labels say who holds it and until when.
 *
 * A holder that died without releasing (SIGKILL, a crash, a lost machine) must not block the
 * project forever. A lock is stale, and taken over, when (lock-holder.ts):
 * - its holder's pids are ours (same host, boot and PID namespace) and its process is gone, or
 * - its holder's pids are not ours and its expiry has passed: the holder's time limit plus
 *   what rollback and restore may take (drillLockTtlMs), so a live drill never outlives its
 *   own lock.
 * Otherwise the project is busy, and the error names the holder and what to do.
 */

export type LockPurpose = 'run' | 'recover';

export interface LockRequest {
  project: string;
  /** An image already on the engine; the lock container is created from it, never run. */
  image: string;
  purpose: LockPurpose;
  playbook?: string;
  ttlMs: number;
}

export interface HeldLock {
  /** The lock container's name. */
  name: string;
  holder: LockHolder;
  /** The stale lock this one replaced, and why it was stale. */
  tookOver?: { holder: LockHolder; why: StaleReason };
  /** Removes the lock if it is still ours (an expired lock may have been taken over). */
  release(): Promise<void>;
}

type LockEngine = EngineLocks & Pick<EngineIdentity, 'endpoint'>;

export function projectLockName(project: string): string {
  return `firedrill-lock-${project}`;
}

/** Contenders retry this often when a lock changes hands under them; then they give up. */
const ATTEMPTS = 3;
/**
 * A takeover marker is held for a few engine calls; one older than this was left by a process
 * that died mid-takeover, whatever its labels say about the process.
 */
const MARKER_TTL_MS = 3 * 60_000;
/** Markers of markers: a dead contender's marker is replaced under a marker of its own, this deep at most. */
const MARKER_DEPTH = 2;

/** One process contending for a project's lock. */
interface Contender {
  engine: LockEngine;
  project: string;
  image: string;
  holder: LockHolder;
  env: LockEnvironment;
}

/**
 * Takes the project's lock, taking over a stale one. Throws EnvironmentError when another
 * live firedrill holds it. Of two processes taking over the same stale lock at once, exactly
 * one wins (see takeOver); the other is told who holds the project now.
 */
export async function acquireProjectLock(
  engine: LockEngine,
  request: LockRequest,
  env: LockEnvironment = processLockEnvironment(),
): Promise<HeldLock> {
  const name = projectLockName(request.project);
  const started = env.now();
  const holder: LockHolder = {
    id: env.newId(),
    purpose: request.purpose,
    ...(request.playbook !== undefined ? { playbook: request.playbook } : {}),
    host: env.host,
    bootId: env.bootId,
    pidNamespace: env.pidNamespace,
    pid: env.pid,
    startedAt: started.toISOString(),
    expiresAt: new Date(started.getTime() + request.ttlMs).toISOString(),
  };
  const labels = holderLabels(request.project, holder);
  const contender: Contender = { engine, project: request.project, image: request.image, holder, env };
  const held = (tookOver?: HeldLock['tookOver']): HeldLock => ({
    name,
    holder,
    ...(tookOver ? { tookOver } : {}),
    release: () => releaseIfOurs(engine, name, holder.id),
  });

  let contested: LockHolder | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (await engine.createLock(name, request.image, labels)) return held();
    const current = await engine.readLock(name);
    if (!current) continue; // released meanwhile: try again
    const other = parseHolder(name, current, engine.endpoint);
    const why = staleness(other, env);
    if (!why) throw busyError(request.project, name, other, engine.endpoint, env);
    const outcome = await takeOver(contender, name, other, labels, 0);
    if (outcome === 'taken') return held({ holder: other, why });
    contested = other;
  }
  throw new EnvironmentError(
    `compose project ${request.project} is being locked by another firedrill process right now (it is taking over the stale lock ` +
      `${name} of pid ${contested?.pid ?? '?'} on ${contested?.host ?? '?'}) — try again in a moment. A takeover left half done by a ` +
      `process that died is cleared by the next attempt once its process is seen gone, or ${MARKER_TTL_MS / 60_000} minutes after it began; ` +
      `if no firedrill is running and it stays, remove \`${takeoverMarkerName(name, contested?.id ?? '')}\` with docker rm -f on ${engine.endpoint}`,
  );
}

/**
 * Throws the "project is busy" error when a live firedrill holds the project's lock; a free or
 * stale lock passes. For checks that must tell "a drill is running" from other states before
 * taking the lock (e.g. faults in the journal that a running drill applied, not a crashed one).
 */
export async function refuseIfProjectBusy(
  engine: LockEngine,
  project: string,
  env: LockEnvironment = processLockEnvironment(),
): Promise<void> {
  const name = projectLockName(project);
  const labels = await engine.readLock(name);
  if (!labels) return;
  const holder = parseHolder(name, labels, engine.endpoint);
  if (!staleness(holder, env)) throw busyError(project, name, holder, engine.endpoint, env);
}

/** Who holds the project's lock while it is in force; undefined when it is free or stale. */
export async function lockHolderInForce(
  engine: LockEngine,
  project: string,
  env: LockEnvironment = processLockEnvironment(),
): Promise<LockHolder | undefined> {
  const name = projectLockName(project);
  const labels = await engine.readLock(name);
  if (!labels) return undefined;
  const holder = parseHolder(name, labels, engine.endpoint);
  return staleness(holder, env) ? undefined : holder;
}

/**
 * The image for a project's lock container: one its own containers were created from, so it is
 * on the engine (nothing is pulled) whatever the project runs. Undefined for no container.
 */
export function lockImageOf(containers: readonly ContainerInfo[]): string | undefined {
  return containers.find((container) => container.imageId !== '')?.imageId;
}

/**
 * Replaces a stale lock without racing other contenders. Removing by name alone is not safe:
 * a slower contender could remove the lock a faster one has just created. So contenders first
 * create a marker named after the stale holder; the engine lets exactly one of them have it.
 * The winner checks the lock still is the stale holder's, replaces it, and drops the marker;
 * a latecomer that wins the marker afterwards finds the lock changed hands and removes nothing.
 */
async function takeOver(
  c: Contender,
  name: string,
  stale: LockHolder,
  labels: Record<string, string>,
  depth: number,
): Promise<'taken' | 'lost'> {
  const marker = takeoverMarkerName(name, stale.id);
  if (!(await claimMarker(c, marker, stale.id, depth))) return 'lost';
  try {
    const current = await c.engine.readLock(name);
    if (current?.[LOCK_LABELS.id] === stale.id) await c.engine.removeLock(name);
    return (await c.engine.createLock(name, c.image, labels)) ? 'taken' : 'lost';
  } finally {
    // Only our own: had we been slow past the marker's expiry, it may be someone else's now.
    await releaseIfOurs(c.engine, marker, c.holder.id);
  }
}

/**
 * Creates the marker for taking over `staleId`'s lock. A marker already there belongs to a
 * contender at work — or to one that died between creating and removing it, which would block
 * every takeover for good. So a marker is a lock too, with the same staleness rules and a short
 * expiry, and a stale one is replaced exactly as a stale lock is (under a marker of its own).
 */
async function claimMarker(c: Contender, marker: string, staleId: string, depth: number): Promise<boolean> {
  const now = c.env.now();
  const markerHolder = { ...c.holder, startedAt: now.toISOString(), expiresAt: new Date(now.getTime() + MARKER_TTL_MS).toISOString() };
  const labels = { ...holderLabels(c.project, markerHolder), [LOCK_LABELS.takeoverOf]: staleId };
  if (await c.engine.createLock(marker, c.image, labels)) return true;
  const current = await c.engine.readLock(marker);
  if (!current || depth >= MARKER_DEPTH) return false;
  const other = parseHolder(marker, current, c.engine.endpoint);
  if (!staleness(other, c.env)) return false;
  return (await takeOver(c, marker, other, labels, depth + 1)) === 'taken';
}

function takeoverMarkerName(name: string, staleId: string): string {
  return `${name}-takeover-${staleId}`;
}

async function releaseIfOurs(engine: LockEngine, name: string, id: string): Promise<void> {
  const current = await engine.readLock(name);
  if (current?.[LOCK_LABELS.id] === id) await engine.removeLock(name);
}

/** What the journal records about the lock a run took. */
export function lockFacts(held: HeldLock): ProjectLockFacts {
  const previous = held.tookOver;
  return {
    name: held.name,
    expiresAt: held.holder.expiresAt,
    ...(previous
      ? {
          tookOver: {
            purpose: previous.holder.purpose,
            ...(previous.holder.playbook !== undefined ? { playbook: previous.holder.playbook } : {}),
            host: previous.holder.host,
            pid: previous.holder.pid ?? null,
            startedAt: previous.holder.startedAt,
            why: previous.why,
          },
        }
      : {}),
  };
}

/** "took over the lock firedrill-lock-shop of a drill … : its process is gone". */
export function describeTakeover(held: HeldLock): string | undefined {
  if (!held.tookOver) return undefined;
  const why = held.tookOver.why === 'expired' ? `it lapsed at ${held.tookOver.holder.expiresAt}` : 'its process is gone';
  return `took over the stale lock ${held.name} of ${describeHolder(held.tookOver.holder)}: ${why}`;
}

function busyError(
  project: string,
  name: string,
  holder: LockHolder,
  endpoint: string,
  env: Omit<LockEnvironment, 'isAlive' | 'newId'>,
): EnvironmentError {
  const removeIt = `remove the lock with \`docker rm -f ${name}\` on ${endpoint}`;
  let remedy: string;
  if (aliveHerePastExpiry(holder, env)) {
    // Past its expiry, a live drill is still rolling back or writing about what it did: never raced.
    remedy =
      `Its lock lapsed at ${holder.expiresAt}, but its process is still alive on this host, so firedrill does not take the lock over. ` +
      `Wait for it to finish, or interrupt it (kill -INT ${holder.pid ?? '<pid>'}: it rolls back). If pid ${holder.pid ?? '?'} is not firedrill ` +
      `(pids are reused), ${removeIt}.`;
  } else if (!sharesPids(holder, env)) {
    const where =
      holder.host !== env.host
        ? 'on another machine'
        : 'on a host of the same name but in another PID namespace or boot (another container, or another machine)';
    remedy =
      `It runs ${where}, so firedrill cannot tell whether it is still alive; the lock lapses at ${holder.expiresAt}. ` +
      `If you are sure it is gone, ${removeIt}.`;
  } else {
    remedy = 'Wait for it to finish and try again (if its process dies, the next run takes the lock over).';
  }
  return new EnvironmentError(
    `compose project ${project} is busy: ${describeHolder(holder)} holds its lock ${name}. One drill per project at a time. ${remedy}`,
  );
}

/** Reports, the journal, a slow engine: a lock should lapse late rather than early. */
const SLACK_MS = 5 * 60_000;

/**
 * How long a drill's lock stays in force, from the runner's own budgets: the time limit, a
 * revert deadline per fault, the restore steps' deadline, the steady state's `within` (plus
 * its margin), and slack.
 */
export function drillLockTtlMs(playbook: Playbook): number {
  const faults = playbook.steps.filter((step) => step.inject !== undefined).length;
  const steadyAfter = playbook.steadyState ? playbook.steadyState.within + STEADY_AFTER_EXTRA_MS : 0;
  return playbook.timeLimit + faults * REVERT_TIMEOUT_MS + Math.max(RESTORE_MIN_MS, playbook.timeLimit) + steadyAfter + SLACK_MS;
}

/** A recovery reverts each pending fault once, under the same budget. */
export function recoverLockTtlMs(pendingFaults: number): number {
  return pendingFaults * REVERT_TIMEOUT_MS + SLACK_MS;
}
