import type { Engine, HelperSpec } from '../../../src/engine/ports.js';
import type { Fault, FaultRecord } from '../../../src/faults/fault.js';
import type { Topology } from '../../../src/topology/topology.js';
import { recordFor } from '../compose-project.js';
import { BASE_IMAGE } from '../require-docker.js';

/**
 * Test support for the network faults against the netfaults fixture: TCP reachability seen
 * from inside a container (bash's /dev/tcp, bounded by `timeout`), and a container's iptables
 * and tc state read through a helper. Every probe targets a container of the fixture on one
 * of its internal networks.
 */

/** Whether `from` opens a TCP connection to host:port within `seconds`. */
export async function reaches(engine: Engine, fromId: string, host: string, port = 80, seconds = 2): Promise<boolean> {
  const result = await engine.exec(fromId, ['timeout', String(seconds), 'bash', '-c', 'exec 3<>"/dev/tcp/$0/$1"', host, String(port)], {
    timeoutMs: (seconds + 10) * 1000,
  });
  return result.exitCode === 0;
}

/** Opens `count` TCP connections at once from `fromId`, each given `seconds`; resolves with how many opened. */
export async function connectionsOpened(engine: Engine, fromId: string, host: string, count: number, seconds: number): Promise<number> {
  const script =
    'for i in $(seq "$0"); do (timeout "$1" bash -c \'exec 3<>"/dev/tcp/$0/80"\' "$2" 2>/dev/null && echo opened || echo lost) & done; wait';
  const result = await engine.exec(fromId, ['bash', '-c', script, String(count), String(seconds), host], {
    timeoutMs: (seconds + 20) * 1000,
  });
  const lines = result.stdout.split('\n').filter(Boolean);
  if (lines.length !== count) throw new Error(`expected ${count} answers, got ${lines.length}: ${result.stdout} ${result.stderr}`);
  return lines.filter((line) => line === 'opened').length;
}

/** Runs a command beside a container with NET_ADMIN and returns its stdout; a failure throws. */
export async function inNetns(engine: Engine, containerId: string, command: string[]): Promise<string> {
  const result = await engine.runHelper({ image: BASE_IMAGE, command, networkOf: containerId, capAdd: ['NET_ADMIN'] });
  if (result.exitCode !== 0) throw new Error(`${command.join(' ')} exited with ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

export const iptablesListing = (engine: Engine, containerId: string) => inNetns(engine, containerId, ['iptables', '-S']);

/** A fault record as planning builds it for a helper-using fault: targets pinned, helper image set. */
export function helperRecord<Spec extends { kind: string }>(
  fault: Fault<Spec>,
  input: unknown,
  topology: Topology,
  ref: string,
): FaultRecord<Spec> {
  return { ...recordFor(fault, input, topology), ref, helperImage: BASE_IMAGE };
}

/** The engine, with every helper it runs written down. */
export function recordingHelpers(engine: Engine): { engine: Engine; helpers: HelperSpec[] } {
  const helpers: HelperSpec[] = [];
  const recording = new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'runHelper') {
        return (spec: HelperSpec, opts?: Parameters<Engine['runHelper']>[1]) => {
          helpers.push(spec);
          return target.runHelper(spec, opts);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { engine: recording, helpers };
}
