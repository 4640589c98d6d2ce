import { EnvironmentError, messageOf } from '../../errors.js';
import type { FaultContext, FaultRecord } from '../fault.js';
import { faultMark } from '../fault-common.js';
import { helperImageOf, helperImageText } from './netns-helper.js';

/**
 * tc (iproute2) as the latency fault uses it: which kernel can do netem, which interfaces
 * carry which addresses, which root qdiscs there are, and how ours is recognised.
 */

/** A root qdisc (or any qdisc) as `tc qdisc show` lists it. */
export interface Qdisc {
  kind: string;
  /** "fd17:" — the major number in hex, as tc prints it. */
  handle: string;
  device: string;
  root: boolean;
}

/**
 * The handle our netem qdisc gets: derived from the fault's mark, so that a revert deletes a
 * root qdisc only when it is the one this fault added (tc refuses `del … root handle H:` when
 * the root has another handle). 1…fffe: 0 is the default qdisc's, ffff the ingress one's.
 */
export function qdiscHandle(ref: string): string {
  // Loaded on first use: the playbook schema imports this file, and validate and schema hash nothing.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(faultMark(ref)).digest();
  return `${((digest.readUInt16BE(0) % 0xfffe) + 1).toString(16)}:`;
}

/** Parses `tc qdisc show` (all devices). */
export function parseQdiscs(output: string): Qdisc[] {
  return output.split('\n').flatMap((line) => {
    const match = /^qdisc (\S+) ([0-9a-f]+:)\S* dev (\S+) (root)?/.exec(line.trim());
    return match ? [{ kind: match[1]!, handle: match[2]!, device: match[3]!, root: match[4] === 'root' }] : [];
  });
}

/** Parses `ip -o addr show` into interface → IPv4 addresses (without prefix length); IPv6 lines are left out. */
export function parseAddresses(output: string): { device: string; ipv4: string }[] {
  return output.split('\n').flatMap((line) => {
    const match = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet\s+(\d+\.\d+\.\d+\.\d+)\//.exec(line.trim());
    return match ? [{ device: match[1]!, ipv4: match[2]! }] : [];
  });
}

/** The tc words of a netem delay, e.g. ["delay", "200ms", "20ms"]. */
export function delayWords(delayMs: number, jitterMs: number | undefined): string[] {
  return ['delay', `${delayMs}ms`, ...(jitterMs ? [`${jitterMs}ms`] : [])];
}

/** Where messages say the engine is; fault contexts carry the engine's ports, not always its identity. */
function engineName(ctx: FaultContext): string {
  const endpoint = (ctx.engine as { endpoint?: unknown }).endpoint;
  return typeof endpoint === 'string' ? `engine ${endpoint}` : 'the Docker engine';
}

/** What tc says when the kernel has no netem. */
export const NO_NETEM = /qdisc kind is unknown|unknown qdisc|no such file or directory/i;

/** Adds a netem qdisc to `lo`: run where the namespace is thrown away after (`firedrill doctor` runs it too). */
export const NETEM_PROBE_COMMAND = ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'];

/**
 * Checks that the engine's kernel has netem, in a throw-away helper with a network namespace
 * of its own (so the qdisc it adds dies with it): nothing a drill touches is changed.
 */
export async function requireNetem(record: FaultRecord, ctx: FaultContext): Promise<void> {
  const image = helperImageOf(record);
  const shown = helperImageText(record);
  const command = NETEM_PROBE_COMMAND;
  const noNetem = new EnvironmentError(
    `the kernel of ${engineName(ctx)} has no netem (sch_netem); latency faults need it — ` +
      "load it with modprobe sch_netem on the engine's host, or use packet-loss",
  );
  let result;
  try {
    result = await ctx.engine.runHelper(
      { image, command, isolated: true, capAdd: ['NET_ADMIN'], labels: { 'firedrill.fault': record.ref } },
      { signal: ctx.signal, timeoutMs: 20_000 },
    );
  } catch (error) {
    throw new EnvironmentError(
      `could not check for netem on ${engineName(ctx)}: a helper from ${shown} failed (${messageOf(error)}) — ` +
        'the helper image needs tc (iproute2)',
    );
  }
  if (result.exitCode === 0) return;
  const said = (result.stderr.trim() || result.stdout.trim()).slice(0, 300);
  if (NO_NETEM.test(said)) throw noNetem;
  throw new EnvironmentError(
    `could not check for netem on ${engineName(ctx)}: \`${command.join(' ')}\` in a helper from ${shown} exited with code ` +
      `${result.exitCode}${said ? `: ${said}` : ''} — the helper image needs tc (iproute2)`,
  );
}
