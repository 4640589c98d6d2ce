import type { ExecResult, HelperSpec } from '../../engine/ports.js';
import { messageOf } from '../../errors.js';
import { count } from '../../words/number-words.js';
import type { FaultContext, FaultRecord, FaultTarget } from '../fault.js';
import { helperImageOf, readNamespace } from './netns-helper.js';
import {
  isCompleteReading,
  listingToken,
  NAMESPACE_SCRIPT,
  parseNamespaceOutput,
  type Listing,
  type NamespaceReading,
} from './netns-listings.js';
import { mapBounded } from './target-pool.js';

/**
 * Plan-time reading of many targets' network namespaces from ONE helper per fault: the
 * namespace inspector. Engine 20.10 starts helper containers one at a time (about 0.35 s each
 * here, however many are asked for at once), so a helper per target made a partition of 100
 * containers against 100 take over a minute to plan.
 *
 * The inspector sees the host's processes (PidMode host) and enters each target's namespace by
 * the PID of its main process (`nsenter --net=/proc/<pid>/ns/net`), with only what that takes:
 * SYS_ADMIN (setns), SYS_PTRACE (to open another process's namespace), NET_ADMIN and NET_RAW
 * (iptables listings, nft and legacy); every other capability dropped, no network, a read-only
 * root filesystem (a small in-memory /run for iptables' lock), no new privileges. It runs a
 * fixed script of ours; the PIDs are its arguments, checked to be numbers here and there. It
 * only reads: inject and revert keep their helper per target.
 *
 * A PID names a process, not a container: a target restarted while the inspector ran could
 * leave its old PID to another process. So each target's PID and start time are read before
 * and again after; a target whose PID or start time changed, that was not running, or whose
 * reading is incomplete or failed, is read again by a helper of its own, which joins the
 * container by id. When the engine will not run the inspector (rootless Docker, userns-remap,
 * a policy), or it could enter no namespace, every target is read that way and the record
 * carries a note that says so.
 */

/** Fewer targets than this are read the per-target way: the inspector's privileges buy nothing there. */
export const INSPECTOR_MIN_TARGETS = 2;

/** What entering another process's network namespace and listing it takes, and nothing more. */
export const INSPECTOR_CAPABILITIES = ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW'];

/** Inspecting the engine's view of a container is cheap: many at a time. */
const STATE_PARALLELISM = 32;

/** The inspector's deadline: a base, and a little per namespace (each takes a few tens of ms). */
const INSPECTOR_TIMEOUT_MS = 20_000;
const INSPECTOR_PER_TARGET_MS = 250;

/**
 * Run as `sh -c INSPECTOR_SCRIPT firedrill-inspector <NAMESPACE_SCRIPT> <token> <listing>… -- <pid>…`:
 * enters each PID's network namespace and runs NAMESPACE_SCRIPT there, then prints
 * "<token> entered <pid> <exit code>". Arguments that are no listing name or no PID above 1
 * end it with exit code 2 before anything is entered; no nsenter in the image, with 3.
 */
export const INSPECTOR_SCRIPT = [
  'set -f',
  'inner=$1; token=$2; shift 2',
  'listings=',
  'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do',
  '  case $1 in *[!a-z]*|"") echo "not a listing name: $1" >&2; exit 2 ;; esac',
  '  listings="$listings $1"; shift',
  'done',
  '[ "$#" -gt 0 ] && shift',
  'for pid in "$@"; do',
  '  case $pid in *[!0-9]*|"") echo "not a process id: $pid" >&2; exit 2 ;; esac',
  '  [ "$pid" -gt 1 ] || { echo "not a container\'s process id: $pid" >&2; exit 2; }',
  'done',
  'command -v nsenter >/dev/null 2>&1 || { echo "nsenter (util-linux) is not in the helper image" >&2; exit 3; }',
  'for pid in "$@"; do',
  '  nsenter --net="/proc/$pid/ns/net" sh -c "$inner" firedrill-netns "$token" "$pid" $listings',
  '  echo "$token entered $pid $?"',
  'done',
].join('\n');

/** A target's main process as the engine reported it: what must not change while the inspector reads. */
interface ProcessMark {
  pid: number;
  startedAt: string | undefined;
}

/** The readings of every target in the record's order, and a note for the plan when the inspector could not be used. */
export interface NamespaceReadings<R> {
  results: R[];
  note?: string;
}

/**
 * Reads `listings` of every target's network namespace and hands each reading to `use`, in the
 * record's order: from the inspector where it can, from a helper per target (a few at a time)
 * for the rest. What throws is what the first target in order that fails throws, whether its
 * reading failed or `use` refused it.
 */
export async function readNamespaces<R>(
  record: FaultRecord,
  listings: readonly Listing[],
  ctx: FaultContext,
  use: (target: FaultTarget, reading: NamespaceReading) => R,
): Promise<NamespaceReadings<R>> {
  const { targets } = record;
  const inspected =
    targets.length >= INSPECTOR_MIN_TARGETS ? await inspect(record, listings, ctx) : { readings: new Map<number, NamespaceReading>() };
  const readings = inspected.readings;
  const rest = targets.flatMap((_, index) => (readings.has(index) ? [] : [index]));
  const failures = new Map<number, unknown>();
  await mapBounded(rest, async (index) => {
    try {
      readings.set(index, await readNamespace(record, targets[index]!, listings, ctx));
    } catch (error) {
      failures.set(index, error);
      throw error;
    }
  }).catch(() => undefined);
  const firstFailure = failures.size > 0 ? Math.min(...failures.keys()) : targets.length;
  const results: R[] = [];
  for (let index = 0; index < firstFailure; index++) results.push(use(targets[index]!, readings.get(index)!));
  if (failures.size > 0) throw failures.get(firstFailure);
  return { results, ...(inspected.note !== undefined ? { note: inspected.note } : {}) };
}

/** Each target's reading or why it could not be read, by index in the record; a note when the inspector could not be used. */
export interface EachNamespace {
  readings: Map<number, NamespaceReading>;
  failures: Map<number, unknown>;
  note?: string;
}

/**
 * Like readNamespaces, but every target is read whatever happens to the others: a revert's check
 * reads back all it can and says which it could not. Throws only when `ctx.signal` is aborted
 * before the inspector ran; a target whose own helper was cut short by it is a failure.
 */
export async function readEachNamespace(record: FaultRecord, listings: readonly Listing[], ctx: FaultContext): Promise<EachNamespace> {
  const { targets } = record;
  const inspected =
    targets.length >= INSPECTOR_MIN_TARGETS ? await inspect(record, listings, ctx) : { readings: new Map<number, NamespaceReading>() };
  const { readings } = inspected;
  const failures = new Map<number, unknown>();
  const rest = targets.flatMap((_, index) => (readings.has(index) ? [] : [index]));
  await mapBounded(rest, async (index) => {
    try {
      readings.set(index, await readNamespace(record, targets[index]!, listings, ctx));
    } catch (error) {
      failures.set(index, error);
    }
  });
  return { readings, failures, ...(inspected.note !== undefined ? { note: inspected.note } : {}) };
}

/** The record with a note for the plan added, when there is one. */
export function withNote<Spec>(record: FaultRecord<Spec>, note: string | undefined): FaultRecord<Spec> {
  return note === undefined ? record : { ...record, notes: [...(record.notes ?? []), note] };
}

/** What the inspector read reliably, by target index; a note when it could not be used at all. */
async function inspect(
  record: FaultRecord,
  listings: readonly Listing[],
  ctx: FaultContext,
): Promise<{ readings: Map<number, NamespaceReading>; note?: string }> {
  const readings = new Map<number, NamespaceReading>();
  const before = await marksOf(record.targets, ctx);
  const enterable = record.targets.flatMap((_, index) => (before[index] ? [index] : []));
  if (enterable.length < INSPECTOR_MIN_TARGETS) return { readings };
  const token = listingToken();
  const pids = enterable.map((index) => before[index]!.pid);
  let result: ExecResult;
  try {
    result = await ctx.engine.runHelper(inspectorSpec(record, listings, token, pids, ctx), {
      signal: ctx.signal,
      timeoutMs: INSPECTOR_TIMEOUT_MS + pids.length * INSPECTOR_PER_TARGET_MS,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { readings, note: perTargetNote(`could not be run: ${messageOf(error)}`) };
  }
  if (result.exitCode !== 0) return { readings, note: perTargetNote(`ended with exit code ${result.exitCode}${saidBy(result)}`) };
  const output = parseNamespaceOutput(result.stdout, token);
  if (!pids.some((pid) => output.entered.get(String(pid)) === 0))
    return { readings, note: perTargetNote(`could enter none of their namespaces${saidBy(result)}`) };
  const after = await marksOf(record.targets, ctx);
  for (const index of enterable) {
    const mark = before[index]!;
    const found = output.listings.get(String(mark.pid));
    if (!sameProcess(mark, after[index]) || output.entered.get(String(mark.pid)) !== 0 || !isCompleteReading(found, listings)) continue;
    readings.set(index, { name: record.targets[index]!.name, listings: found! });
  }
  return { readings };
}

function inspectorSpec(record: FaultRecord, listings: readonly Listing[], token: string, pids: number[], ctx: FaultContext): HelperSpec {
  return {
    image: helperImageOf(record),
    command: ['sh', '-c', INSPECTOR_SCRIPT, 'firedrill-inspector', NAMESPACE_SCRIPT, token, ...listings, '--', ...pids.map(String)],
    purpose: `read the network namespaces of ${count(pids.length, 'container')}`,
    isolated: true,
    hostPids: true,
    capAdd: INSPECTOR_CAPABILITIES,
    dropOtherCapabilities: true,
    readOnlyRoot: true,
    labels: { 'firedrill.fault': record.ref },
    ...(ctx.project !== undefined ? { project: ctx.project } : {}),
  };
}

/** Each target's main process, or undefined when it has none to enter (not running, gone, no PID). */
function marksOf(targets: FaultTarget[], ctx: FaultContext): Promise<(ProcessMark | undefined)[]> {
  return mapBounded(
    targets,
    async (target) => {
      try {
        const state = await ctx.engine.inspectState(target.containerId, { signal: ctx.signal });
        if (state.status !== 'running' && state.status !== 'paused') return undefined;
        if (state.pid === undefined || !Number.isSafeInteger(state.pid) || state.pid <= 1) return undefined;
        return { pid: state.pid, startedAt: state.startedAt };
      } catch {
        // Its own helper will say what is wrong with it.
        return undefined;
      }
    },
    STATE_PARALLELISM,
  );
}

function sameProcess(before: ProcessMark, after: ProcessMark | undefined): boolean {
  return after !== undefined && after.pid === before.pid && after.startedAt === before.startedAt;
}

function saidBy(result: ExecResult): string {
  const said = result.stderr.trim().split('\n')[0]?.slice(0, 300);
  return said ? `: ${said}` : '';
}

function perTargetNote(why: string): string {
  return `each target's network namespace was read by a helper container of its own, one after another as the engine starts them: the namespace inspector, one helper that reads them all, ${why}`;
}
