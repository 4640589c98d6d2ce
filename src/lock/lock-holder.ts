import { randomBytes } from 'node:crypto';
import { processIdentity, processIsAlive } from '../engine/process-identity.js';
import { EnvironmentError } from '../errors.js';

export { processIsAlive } from '../engine/process-identity.js';

/**
 * Who holds a project lock (or a takeover marker), as its container's labels say, and when a
 * holder may be considered gone.
 *
 * A pid means something only in the PID namespace it came from, and a namespace only until the
 * machine reboots. Two processes may share a hostname without sharing either: CI jobs in
 * containers started with `--network host` see the host's name but have PID namespaces of
 * their own, where the other's pid is free or someone else's. So a holder is identified by
 * hostname, boot id and PID namespace together, and firedrill judges its process only when all
 * three are this process's own. Any other holder is judged by its expiry alone.
 */

export const LOCK_LABELS = {
  lock: 'firedrill.lock',
  id: 'firedrill.lock.id',
  project: 'firedrill.lock.project',
  purpose: 'firedrill.lock.purpose',
  playbook: 'firedrill.lock.playbook',
  host: 'firedrill.lock.host',
  bootId: 'firedrill.lock.boot-id',
  pidNamespace: 'firedrill.lock.pid-namespace',
  pid: 'firedrill.lock.pid',
  startedAt: 'firedrill.lock.started-at',
  expiresAt: 'firedrill.lock.expires-at',
  takeoverOf: 'firedrill.lock.takeover-of',
} as const;

/** Who holds a lock, from its labels. */
export interface LockHolder {
  id: string;
  purpose: string;
  playbook?: string;
  host: string;
  /** The kernel's boot id; empty when the holder could not read it (or wrote no such label). */
  bootId: string;
  /** The holder's PID namespace ("pid:[4026531836]"); empty when unknown. */
  pidNamespace: string;
  /** Undefined when the label is missing or not a number. */
  pid?: number;
  startedAt: string;
  expiresAt: string;
}

export type StaleReason = 'process-gone' | 'expired';

/** This process as a lock holder; tests pass their own. */
export interface LockEnvironment {
  now(): Date;
  host: string;
  /** /proc/sys/kernel/random/boot_id, or empty where there is none. */
  bootId: string;
  /** The target of /proc/self/ns/pid, or empty where there is none. */
  pidNamespace: string;
  pid: number;
  isAlive(pid: number): boolean;
  newId(): string;
}

export function processLockEnvironment(): LockEnvironment {
  return {
    now: () => new Date(),
    ...processIdentity(),
    isAlive: processIsAlive,
    newId: () => randomBytes(8).toString('hex'),
  };
}

/** Whether the holder's pid means the same process here: same host, same boot, same PID namespace. */
export function sharesPids(
  holder: Pick<LockHolder, 'host' | 'bootId' | 'pidNamespace'>,
  env: Pick<LockEnvironment, 'host' | 'bootId' | 'pidNamespace'>,
): boolean {
  return holder.host === env.host && holder.bootId === env.bootId && holder.pidNamespace === env.pidNamespace;
}

/**
 * Why a holder's lock may be taken over, or undefined while it is in force:
 * - a holder whose pids are ours (sharesPids) is judged by its process alone: gone means
 *   stale, alive means in force, even past its expiry (a live drill is never raced; the
 *   error says so and what to do);
 * - any other holder is stale once its expiry has passed.
 */
export function staleness(
  holder: LockHolder,
  env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace' | 'isAlive'>,
): StaleReason | undefined {
  if (holder.pid !== undefined && sharesPids(holder, env)) return env.isAlive(holder.pid) ? undefined : 'process-gone';
  const expires = Date.parse(holder.expiresAt);
  return Number.isFinite(expires) && env.now().getTime() >= expires ? 'expired' : undefined;
}

/** Whether the lapse of the holder's lock is all that keeps it in force: its process lives here. */
export function aliveHerePastExpiry(holder: LockHolder, env: Pick<LockEnvironment, 'now' | 'host' | 'bootId' | 'pidNamespace'>): boolean {
  const expires = Date.parse(holder.expiresAt);
  return sharesPids(holder, env) && Number.isFinite(expires) && env.now().getTime() >= expires;
}

export function holderLabels(project: string, holder: LockHolder): Record<string, string> {
  return {
    [LOCK_LABELS.lock]: 'true',
    [LOCK_LABELS.id]: holder.id,
    [LOCK_LABELS.project]: project,
    [LOCK_LABELS.purpose]: holder.purpose,
    ...(holder.playbook !== undefined ? { [LOCK_LABELS.playbook]: holder.playbook } : {}),
    [LOCK_LABELS.host]: holder.host,
    [LOCK_LABELS.bootId]: holder.bootId,
    [LOCK_LABELS.pidNamespace]: holder.pidNamespace,
    [LOCK_LABELS.pid]: String(holder.pid ?? ''),
    [LOCK_LABELS.startedAt]: holder.startedAt,
    [LOCK_LABELS.expiresAt]: holder.expiresAt,
  };
}

/** A lock's holder from its labels; a container of that name that is no lock is an error. */
export function parseHolder(name: string, labels: Record<string, string>, endpoint: string): LockHolder {
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
    // A lock from before these labels existed never shares pids with a process that reads /proc: judged by expiry.
    bootId: labels[LOCK_LABELS.bootId] ?? '',
    pidNamespace: labels[LOCK_LABELS.pidNamespace] ?? '',
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
