import type { ExecResult, HelperSpec } from '../../../src/engine/ports.js';
import type { FakeContainer, FakeEngine } from '../../support/fake-engine.js';
import { answerNamespaceReading, type InspectorSwitches } from './fake-namespace-script.js';

/**
 * Network namespaces for the FakeEngine's helpers: per container, an iptables filter table per
 * backend (nft, and legacy once something created it) and one root qdisc per interface,
 * changed and listed by the commands the network faults send (the listing script, which prints
 * each backend after "== <backend>", iptables[-nft|-legacy]-restore --noflush through sh,
 * ip -o addr show, tc qdisc …, and the plan-time readings of fake-namespace-script.ts, per
 * target or by the namespace inspector), with the answers iptables 1.8 and tc give. The helper image
 * is Debian's: `iptables` is iptables-nft. Each container's interfaces are eth0, eth1, … in
 * the order of its networks. A restore is all or nothing, as in iptables.
 */

/** A container's attachment to the demo's "mesh" or "inner" network, with one alias and an address. */
export const mesh = (ipv4: string, alias: string) => ({ networkName: 'demo_mesh', aliases: [alias], ipv4 });
export const inner = (ipv4: string, alias: string) => ({ networkName: 'demo_inner', aliases: [alias], ipv4 });

const OK: ExecResult = { exitCode: 0, stdout: '', stderr: '' };

export interface FakeNamespace {
  /** `-A …` lines as iptables(-nft) -S prints them (the comment quoted). */
  rules: string[];
  /** The same for iptables-legacy; undefined while the namespace has no legacy tables. */
  legacy?: string[];
  /** Root qdisc per interface: "kind handle", e.g. "noqueue 0:". */
  roots: Map<string, { kind: string; handle: string }>;
}

export class FakeNetns {
  readonly namespaces = new Map<string, FakeNamespace>();
  /** Whether the kernel has sch_netem. */
  netem = true;
  /** Commands seen, with the container they ran beside ("isolated" for a namespace of its own). */
  readonly commands: { where: string; command: string[] }[] = [];
  /** What the namespace inspector's image and engine allow. */
  readonly inspector: InspectorSwitches = { nsenter: true, enter: true };

  constructor(private readonly engine: FakeEngine) {
    engine.onHelper((spec, target) => this.run(spec, target));
  }

  namespace(ref: string): FakeNamespace {
    const container = this.engine.container(ref);
    let found = this.namespaces.get(container.id);
    if (!found) {
      found = { rules: [], roots: new Map(container.networks.map((_, i) => [`eth${i}`, { kind: 'noqueue', handle: '0:' }])) };
      found.roots.set('lo', { kind: 'noqueue', handle: '0:' });
      this.namespaces.set(container.id, found);
    }
    return found;
  }

  /** What `iptables -S` (nft) shows in the container. */
  listing(ref: string): string {
    return table(this.namespace(ref).rules);
  }

  /** A fresh namespace, as after a stop and start. */
  reset(ref: string): void {
    this.namespaces.delete(this.engine.container(ref).id);
  }

  private run(spec: HelperSpec, target: FakeContainer | undefined): ExecResult {
    this.commands.push({ where: spec.isolated ? 'isolated' : (target?.name ?? 'none'), command: [...spec.command] });
    if (!spec.capAdd?.includes('NET_ADMIN')) return { exitCode: 4, stdout: '', stderr: 'Permission denied (you must be root)' };
    const reading = answerNamespaceReading(
      this.engine,
      spec,
      target,
      (container, listing) => this.list(container, listing),
      this.inspector,
    );
    if (reading) return reading;
    const [tool, ...args] = spec.command;
    if (spec.isolated) return tool === 'tc' ? this.isolatedTc(args) : OK;
    if (!target) throw new Error('FakeNetns: a helper that joins no container');
    const ns = this.namespace(target.id);
    if (tool === 'sh' && args[1]?.includes('/proc/net/ip_tables_names')) {
      return { ...OK, stdout: `== nft\n${table(ns.rules)}${ns.legacy ? `== legacy\n${table(ns.legacy)}` : ''}` };
    }
    const restore = /\| (iptables(?:-nft|-legacy)?-restore) -w 5 --noflush$/.exec(tool === 'sh' ? (args[1] ?? '') : '');
    if (restore) {
      if (restore[1] !== 'iptables-legacy-restore') return this.restore(ns.rules, args.slice(3), (rules) => (ns.rules = rules));
      return this.restore(ns.legacy ?? [], args.slice(3), (rules) => (ns.legacy = rules));
    }
    if (tool === 'ip' && args.join(' ') === '-o addr show') return { ...OK, stdout: this.addresses(target) };
    if (tool === 'tc') return this.tc(ns, args);
    throw new Error(`FakeNetns: unexpected helper command ${spec.command.join(' ')}`);
  }

  /** One plan-time listing of a container's namespace. */
  private list(container: FakeContainer, listing: string): ExecResult {
    const ns = this.namespace(container.id);
    if (listing === 'iptables') return { ...OK, stdout: `== nft\n${table(ns.rules)}${ns.legacy ? `== legacy\n${table(ns.legacy)}` : ''}` };
    if (listing === 'addresses') return { ...OK, stdout: this.addresses(container) };
    if (listing === 'qdiscs') return this.tc(ns, ['qdisc', 'show']);
    throw new Error(`FakeNetns: unexpected listing ${listing}`);
  }

  private isolatedTc(args: string[]): ExecResult {
    if (args.includes('netem') && !this.netem) return { exitCode: 2, stdout: '', stderr: 'Error: Specified qdisc kind is unknown.\n' };
    return OK;
  }

  private restore(table: string[], lines: string[], commit: (rules: string[]) => void): ExecResult {
    if (lines[0] !== '*filter' || lines.at(-1) !== 'COMMIT') return { exitCode: 1, stdout: '', stderr: 'iptables-restore: no table' };
    const rules = [...table];
    for (const [index, line] of lines.slice(1, -1).entries()) {
      const insert = /^-I (\S+) 1 (.*)$/.exec(line);
      const remove = /^-D (\S+) (.*)$/.exec(line);
      if (insert) rules.unshift(`-A ${insert[1]} ${printed(insert[2]!)}`);
      else if (remove && rules.includes(`-A ${remove[1]} ${remove[2]}`)) rules.splice(rules.indexOf(`-A ${remove[1]} ${remove[2]}`), 1);
      else return { exitCode: 1, stdout: '', stderr: `iptables-restore: line ${index + 2} failed\n` };
    }
    commit(rules);
    return OK;
  }

  private addresses(target: FakeContainer): string {
    const lines = ['1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever'];
    target.networks.forEach((network, i) => {
      if (network.ipv4)
        lines.push(`${i + 40}: eth${i}    inet ${network.ipv4}/16 brd 172.18.255.255 scope global eth${i}\\       valid_lft forever`);
    });
    return `${lines.join('\n')}\n`;
  }

  private tc(ns: FakeNamespace, args: string[]): ExecResult {
    const words = args.join(' ');
    if (words === 'qdisc show') {
      const lines = [...ns.roots].map(([device, root]) => `qdisc ${root.kind} ${root.handle} dev ${device} root refcnt 2 `);
      return { ...OK, stdout: `${lines.join('\n')}\n` };
    }
    const add = /^qdisc add dev (\S+) root handle (\S+) (\S+)/.exec(words);
    if (add) {
      if (add[3] === 'netem' && !this.netem) return { exitCode: 2, stdout: '', stderr: 'Error: Specified qdisc kind is unknown.\n' };
      const root = ns.roots.get(add[1]!);
      if (!root) return { exitCode: 1, stdout: '', stderr: `Cannot find device "${add[1]}"\n` };
      if (root.handle !== '0:') return { exitCode: 2, stdout: '', stderr: 'Error: Exclusivity flag on, cannot modify.\n' };
      ns.roots.set(add[1]!, { kind: add[3]!, handle: add[2]! });
      return OK;
    }
    const del = /^qdisc del dev (\S+) root handle (\S+)$/.exec(words);
    if (del) {
      const root = ns.roots.get(del[1]!);
      if (!root) return { exitCode: 1, stdout: '', stderr: `Cannot find device "${del[1]}"\n` };
      if (root.handle !== del[2]) return { exitCode: 2, stdout: '', stderr: 'Error: Invalid handle.\n' };
      ns.roots.set(del[1]!, { kind: 'noqueue', handle: '0:' });
      return OK;
    }
    throw new Error(`FakeNetns: unexpected tc ${words}`);
  }
}

/** A filter table as `iptables -S` lists it: the policies, then the rules. */
function table(rules: string[]): string {
  return `${['-P INPUT ACCEPT', '-P FORWARD ACCEPT', '-P OUTPUT ACCEPT', ...rules].join('\n')}\n`;
}

/** How iptables -S prints a rule given as restore input: the comment quoted, probabilities with 11 decimals. */
function printed(rule: string): string {
  return rule
    .replace(/--comment (\S+)/, '--comment "$1"')
    .replace(/--probability (\S+)/, (_, p: string) => `--probability ${Number(p).toFixed(11)}`);
}
