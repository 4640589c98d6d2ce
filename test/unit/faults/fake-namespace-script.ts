import type { ExecResult, HelperSpec } from '../../../src/engine/ports.js';
import type { FakeContainer, FakeEngine } from '../../support/fake-engine.js';

/**
 * The FakeEngine's answer to plan-time namespace readings, written out by hand from what the
 * real scripts print on Engine 20.10 (the integration tests run the real ones):
 * - a helper in one container's namespace running `sh -c <namespace script> firedrill-netns
 *   <token> self <listing>…`;
 * - the namespace inspector, `sh -c <inspector script> firedrill-inspector <namespace script>
 *   <token> <listing>… -- <pid>…`, which enters each PID's namespace as the kernel would let it:
 *   only with the host's PIDs in view, SYS_ADMIN and SYS_PTRACE, and a PID that is live.
 * Each listing is printed between "<token> begin|stderr|end" lines; the inspector adds
 * "<token> entered <pid> <exit code>" after each PID.
 */

/** What one listing prints in a container's namespace. */
export type ListingPrinter = (container: FakeContainer, listing: string) => ExecResult;

export interface InspectorSwitches {
  /** False: the helper image has no nsenter (the inspector ends with exit code 3). */
  nsenter: boolean;
  /** False: no namespace can be entered (an engine with userns-remap: setns is not permitted). */
  enter: boolean;
}

/** The answer, or undefined when the helper is no namespace reading. */
export function answerNamespaceReading(
  engine: FakeEngine,
  spec: HelperSpec,
  target: FakeContainer | undefined,
  print: ListingPrinter,
  switches: InspectorSwitches = { nsenter: true, enter: true },
): ExecResult | undefined {
  const [tool, , , name, ...rest] = spec.command;
  if (tool !== 'sh') return undefined;
  if (name === 'firedrill-netns') {
    if (!target) throw new Error('fake namespace reading: a per-target reading that joins no container');
    const [token = '', where = '', ...listings] = rest;
    return { exitCode: 0, stdout: sections(token, where, listings, target, print), stderr: '' };
  }
  if (name === 'firedrill-inspector') return inspector(engine, spec, rest.slice(1), print, switches);
  return undefined;
}

function inspector(engine: FakeEngine, spec: HelperSpec, args: string[], print: ListingPrinter, switches: InspectorSwitches): ExecResult {
  const [token = '', ...more] = args;
  const split = more.indexOf('--');
  const listings = more.slice(0, split);
  const pids = more.slice(split + 1);
  if (pids.some((pid) => !/^\d+$/.test(pid) || Number(pid) <= 1))
    return { exitCode: 2, stdout: '', stderr: `not a process id: ${pids.join(' ')}\n` };
  if (!switches.nsenter) return { exitCode: 3, stdout: '', stderr: 'nsenter (util-linux) is not in the helper image\n' };
  let stdout = '';
  let stderr = '';
  for (const pid of pids) {
    const container = spec.hostPids ? engine.containerByPid(Number(pid)) : undefined;
    if (!container) {
      stderr += `nsenter: cannot open /proc/${pid}/ns/net: No such file or directory\n`;
      stdout += `${token} entered ${pid} 1\n`;
    } else if (!spec.capAdd?.includes('SYS_PTRACE')) {
      stderr += `nsenter: cannot open /proc/${pid}/ns/net: Permission denied\n`;
      stdout += `${token} entered ${pid} 1\n`;
    } else if (!spec.capAdd.includes('SYS_ADMIN') || !switches.enter) {
      stderr += "nsenter: reassociate to namespace 'ns/net' failed: Operation not permitted\n";
      stdout += `${token} entered ${pid} 1\n`;
    } else {
      stdout += `${sections(token, pid, listings, container, print)}${token} entered ${pid} 0\n`;
    }
  }
  return { exitCode: 0, stdout, stderr };
}

function sections(token: string, where: string, listings: string[], container: FakeContainer, print: ListingPrinter): string {
  return listings
    .map((listing) => {
      const printed = print(container, listing);
      return (
        `${token} begin ${where} ${listing}\n${printed.stdout}` +
        `${token} stderr ${where} ${listing}\n${printed.stderr}` +
        `${token} end ${where} ${listing} ${printed.exitCode}\n`
      );
    })
    .join('');
}
