import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ContainerInfo, EngineIdentity, EngineLocks } from '../engine/ports.js';
import { EnvironmentError } from '../errors.js';
import type { Playbook } from '../playbook/schema.js';
import type { ProjectLockFacts } from './events.js';

/**
 * One drill (or recovery) per compose project at a time, across processes and machines that
 * share the engine: the lock is a never-started container named after the project on the
 * project's own engine (see EngineLocks). Its labels say who holds it and until when.
 *
 * A holder that died without releasing (SIGKILL, a crash, a lost machine) must not block the
 * project forever. A lock is stale, and taken over, when:
 * - its holder ran on this host and its process is gone, or
 * - its expiry has passed: the holder's time limit plus what rollback and restore may take
 *   (drillLockTtlMs), so a live drill never outlives its own lock.
 * Otherwise the project is busy, and the error names the holder and what to do.
 */

export const LOCK_LABELS = {
  lock: 'firedrill.lock',
  id: 'firedrill.lock.id',
  project: 'firedrill.lock.project',
  purpose: 'firedrill.lock.purpose',
  playbook: 'firedrill.lock.playbook',
  host: 'firedrill.lock.host',
  pid: 'firedrill.lock.pid',
  startedAt: 'firedrill.lock.started-at',
  expiresAt: 'firedrill.lock.expires-at',
  takeoverOf: 'firedrill.lock.takeover-of',
} as const;

export type LockPurpose = 'run' | 'recover';

/** Who holds a lock, from its labels. */
export interface LockHolder {
  id: string;
  purpose: string;
  playbook?: string;
  host: string;
  /** Undefined when the label is missing or not a number. */
  pid?: number;
  startedAt: string;
  expiresAt: string;
}

export type StaleReason = 'process-gone' | 'expired';

export interface LockRequest {
  project: string;
  /** An image already on the engine; the lock container is created from it, never run. */
  image: string;
  purpose: LockPurpose;
  playbook?: string;
  ttlMs: number;
}

/** This process as a lock holder; tests pass their own. */
export interface LockEnvironment {
  now(): Date;
  host: string;
  pid: number;
  isAlive(pid: number): boolean;
  newId(): string;
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

export function processLockEnvironment(): LockEnvironment {
  return {
    now: () => new Date(),
    host: hostname(),
    pid: process.pid,
    isAlive: processIsAlive,
    newId: () => randomBytes(8).toString('hex'),
  };
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Contenders retry this often when a lock changes hands under them; then they give up. */
const ATTEMPTS = 3;

/**
 * Takes the project's lock, taking over a stale one. Throws EnvironmentError when another
 * live firedrill holds it. Of two processes taking over the same stale lock at once, exactly
 * one wins (see takeOver); the other is told who holds the project now.
 */
export async function acquireProjectLock(engine: LockEngine, request: LockRequest, env: LockEnvironment = processLockEnvironment()): Promise<HeldLock> {
  const name = projectLockName(request.project);
  const started = env.now();
  const holder: LockHolder = {
    id: env.newId(),
    purpose: request.purpose,
    ...(request.playbook !== undefined ? { playbook: request.playbook } : {}),
    host: env.host,
    pid: env.pid,
    startedAt: started.toISOString(),
    expiresAt: new Date(started.getTime() + request.ttlMs).toISOString(),
  };
  const labels = holderLabels(request.project, holder);
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
    const outcome = await takeOver(engine, name, other, request.image, labels);
    if (outcome === 'taken') return held({ holder: other, why });
    contested = other;
  }
  throw new EnvironmentError(
    `compose project ${request.project} is being locked by another firedrill process right now (it is taking over the stale lock ` +
      `${name} of pid ${contested?.pid ?? '?'} on ${contested?.host ?? '?'}) — try again in a moment. If no firedrill is running, ` +
      `remove the leftover marker with \`docker rm -f ${takeoverMarkerName(name, contested?.id ?? '')}\` on ${engine.endpoint}`,
  );
}

/**
 * Throws the "project is busy" error when a live firedrill holds the project's lock; a free or
 * stale lock passes. For checks that must tell "a drill is running" from other states before
 * taking the lock (e.g. faults in the journal that a running drill applied, not a crashed one).
 */
export async function refuseIfProjectBusy(engine: LockEngine, project: string, env: LockEnvironment = processLockEnvironment()): Promise<void> {
  const name = projectLockName(project);
  const labels = await engine.readLock(name);
  if (!labels) return;
  const holder = parseHolder(name, labels, engine.endpoint);
  if (!staleness(holder, env)) throw busyError(project, name, holder, engine.endpoint, env);
}

/**
 * The image for a project's lock container: one its own containers were created from, so it is
 * on the engine (nothing is pulled) whatever the project runs. Undefined for no container.
 */
export function lockImageOf(containers: readonly ContainerInfo[]): string | undefined {
  return containers.find((container) => container.imageId !== '')?.imageId;
}

/** Why a holder's lock may be taken over, or undefined while it is in force. */
export function staleness(holder: LockHolder, env: Pick<LockEnvironment, 'now' | 'host' | 'isAlive'>): StaleReason | undefined {
  const expires = Date.parse(holder.expiresAt);
  if (Number.isFinite(expires) && env.now().getTime() >= expires) return 'expired';
  if (holder.host === env.host && holder.pid !== undefined && !env.isAlive(holder.pid)) return 'process-gone';
  return undefined;
}

/**
 * Replaces a stale lock without racing other contenders. Removing by name alone is not safe:
 * a slower contender could remove the lock a faster one has just created. So contenders first
 * create a marker named after the stale holder; the engine lets exactly one of them have it.
 * The winner checks the lock still is the stale holder's, replaces it, and drops the marker;
 * a latecomer that wins the marker afterwards finds the lock changed hands and removes nothing.
 */
async function takeOver(engine: LockEngine, name: string, stale: LockHolder, image: string, labels: Record<string, string>): Promise<'taken' | 'lost'> {
  const marker = takeoverMarkerName(name, stale.id);
  if (!(await engine.createLock(marker, image, { ...labels, [LOCK_LABELS.takeoverOf]: stale.id }))) return 'lost';
  try {
    const current = await engine.readLock(name);
    if (current?.[LOCK_LABELS.id] === stale.id) await engine.removeLock(name);
    return (await engine.createLock(name, image, labels)) ? 'taken' : 'lost';
  } finally {
    await engine.removeLock(marker);
  }
}

function takeoverMarkerName(name: string, staleId: string): string {
  return `${name}-takeover-${staleId}`;
}

async function releaseIfOurs(engine: LockEngine, name: string, id: string): Promise<void> {
  const current = await engine.readLock(name);
  if (current?.[LOCK_LABELS.id] === id) await engine.removeLock(name);
}

function holderLabels(project: string, holder: LockHolder): Record<string, string> {
  return {
    [LOCK_LABELS.lock]: 'true',
    [LOCK_LABELS.id]: holder.id,
    [LOCK_LABELS.project]: project,
    [LOCK_LABELS.purpose]: holder.purpose,
    ...(holder.playbook !== undefined ? { [LOCK_LABELS.playbook]: holder.playbook } : {}),
    [LOCK_LABELS.host]: holder.host,
    [LOCK_LABELS.pid]: String(holder.pid ?? ''),
    [LOCK_LABELS.startedAt]: holder.startedAt,
    [LOCK_LABELS.expiresAt]: holder.expiresAt,
  };
}

function parseHolder(name: string, labels: Record<string, string>, endpoint: string): LockHolder {
  if (labels[LOCK_LABELS.lock] !== 'true') {
    throw new EnvironmentError(
      `a container named ${name} exists on ${endpoint} but is not a firedrill lock (it has no ${LOCK_LABELS.lock}=true label) — ` +
        'firedrill uses that name to keep one drill per project at a time; rename or remove that container',
    );
  }
  const pid = Number.parseInt(labels[LOCK_LABELS.pid] ?? '', 10);
  const playbook = labels[LOCK_LABELS.playbook];
  return {
    id: labels[LOCK_LABELS.id] ?? '',
    purpose: labels[LOCK_LABELS.purpose] ?? 'run',
    ...(playbook !== undefined ? { playbook } : {}),
    host: labels[LOCK_LABELS.host] ?? '',
    ...(Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}),
    startedAt: labels[LOCK_LABELS.startedAt] ?? '',
    expiresAt: labels[LOCK_LABELS.expiresAt] ?? '',
  };
}

/** "a drill of playbook region-loss (pid 4242 on host ci-1) since 2026-…Z". */
export function describeHolder(holder: LockHolder): string {
  const what = holder.purpose === 'recover' ? '`firedrill recover`' : `a drill${holder.playbook ? ` of playbook ${holder.playbook}` : ''}`;
  return `${what} (pid ${holder.pid ?? '?'} on host ${holder.host || '?'}) since ${holder.startedAt || 'an unknown time'}`;
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

function busyError(project: string, name: string, holder: LockHolder, endpoint: string, env: Pick<LockEnvironment, 'host'>): EnvironmentError {
  const elsewhere = holder.host !== env.host;
  const remedy = elsewhere
    ? `It runs on another machine, so firedrill cannot tell whether it is still alive; the lock lapses at ${holder.expiresAt}. ` +
      `If you are sure it is gone, remove the lock with \`docker rm -f ${name}\` on ${endpoint}.`
    : `Wait for it to finish and try again (if its process dies, the next run takes the lock over; it lapses at ${holder.expiresAt} in any case).`;
  return new EnvironmentError(`compose project ${project} is busy: ${describeHolder(holder)} holds its lock ${name}. One drill per project at a time. ${remedy}`);
}

/** Mirrors the runner's budgets (drill-runner.ts, rollback-ledger.ts); generous on purpose. */
const REVERT_BUDGET_MS = 60_000;
const RESTORE_MIN_MS = 120_000;
const STEADY_AFTER_EXTRA_MS = 30_000;
/** Reports, the journal, a slow engine: a lock should lapse late rather than early. */
const SLACK_MS = 5 * 60_000;

/**
 * How long a drill's lock stays in force: the time limit, a revert budget per fault, the
 * restore steps' deadline, the steady state's `within` (plus its margin), and slack.
 */
export function drillLockTtlMs(playbook: Playbook): number {
  const faults = playbook.steps.filter((step) => step.inject !== undefined).length;
  const steadyAfter = playbook.steadyState ? playbook.steadyState.within + STEADY_AFTER_EXTRA_MS : 0;
  return playbook.timeLimit + faults * REVERT_BUDGET_MS + Math.max(RESTORE_MIN_MS, playbook.timeLimit) + steadyAfter + SLACK_MS;
}

/** A recovery reverts each pending fault once, under the same budget. */
export function recoverLockTtlMs(pendingFaults: number): number {
  return pendingFaults * REVERT_BUDGET_MS + SLACK_MS;
}
