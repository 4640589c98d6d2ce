import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who this process is, in terms another process can check later: a pid means something only in
 * the PID namespace it came from, and a namespace only until the machine reboots, so a process
 * is named by host, boot id and PID namespace as well as by pid. Locks and helper containers
 * carry it in their labels, so that whoever finds them later can tell whether their maker lives.
 */
export interface ProcessIdentity {
  host: string;
  /** /proc/sys/kernel/random/boot_id, or empty where there is none. */
  bootId: string;
  /** The target of /proc/self/ns/pid, or empty where there is none. */
  pidNamespace: string;
  pid: number;
}

let cached: ProcessIdentity | undefined;

export function processIdentity(): ProcessIdentity {
  cached ??= {
    host: hostname(),
    bootId: readOrEmpty(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()),
    pidNamespace: readOrEmpty(() => readlinkSync('/proc/self/ns/pid')),
    pid: process.pid,
  };
  return cached;
}

/** Where /proc is missing (macOS) both stay empty: two such processes on one host share their pids. */
function readOrEmpty(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
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
