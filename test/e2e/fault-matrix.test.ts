import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe, startFixtureProject, stopFixtureProject, type FixtureProject } from '../integration/compose-project.js';
import { engineEndpoints, interfacesInside, networkOrder } from '../integration/faults/endpoint-probes.js';
import { iptablesListing } from '../integration/faults/netns-probes.js';
import { differenceText, type JournaledDifference, type RevertDifference } from '../../src/faults/mechanisms/revert-differences.js';
import { firedrill } from './cli-process.js';
import { neverRecoveringPlaybook, runUntilFaultApplied } from './interrupted-drill.js';

/**
 * The crash matrix: for every revertible fault kind, firedrill is killed with SIGKILL while the
 * fault is applied (it cannot roll back), a new drill refuses to start, and `firedrill recover`
 * must bring the topology back exactly as it was. Then the same fault is interrupted with SIGINT
 * or SIGTERM, and the drill's own rollback must do it, without recover.
 */

interface FaultCase {
  name: string;
  inject: Record<string, unknown>;
  /** True while the fault's effect is observable. */
  applied(f: FixtureProject): Promise<boolean>;
  /** What must be equal before the fault and after its revert; the containers' states and networks by default. */
  snapshot?(f: FixtureProject): Promise<unknown>;
  /**
   * What the revert must report as differences, from what `look` saw before and after: what
   * the engine cannot give back (an interface name) is said, never passed off as restored. The
   * journal holds exactly these facts (nothing else differs), and the log says each one.
   */
  differences?: { look(f: FixtureProject): Promise<Renamable>; expected(before: Renamable, after: Renamable): RevertDifference[] };
}

/** Container → network → the interface it is on inside the container. */
type Renamable = Record<string, Record<string, string | undefined>>;

const status = async (f: FixtureProject, service: string) => (await f.container(service)).status;
const idOf = async (f: FixtureProject, service: string) => (await f.container(service)).id;
const rules = async (f: FixtureProject, service: string) => iptablesListing(f.engine, await idOf(f, service));
const marked = async (f: FixtureProject, service: string) => (await rules(f, service)).includes('firedrill:');
async function sh(f: FixtureProject, service: string, script: string): Promise<string> {
  const result = await f.engine.exec(await idOf(f, service), ['sh', '-c', script], { timeoutMs: 10_000 });
  return result.stdout;
}
/** The limits the kernel applies (cgroup v1 or v2), which is what "as before" means for a container. */
const cgroupLimits = (f: FixtureProject, service: string) =>
  sh(
    f,
    service,
    'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
  );
const withState = (extra: (f: FixtureProject) => Promise<unknown>) => async (f: FixtureProject) => ({
  containers: await observe(f),
  extra: await extra(f),
});

/** Region a's containers as isolate must give them back: every address and MAC per network, and the order of their interfaces. */
async function regionEndpoints(f: FixtureProject): Promise<unknown> {
  return Promise.all(
    ['web-a', 'cache-a'].map(async (service) => {
      const id = await idOf(f, service);
      const endpoints = await engineEndpoints(f.engine, id);
      return { service, endpoints, order: networkOrder(endpoints, await interfacesInside(f.engine, id)) };
    }),
  );
}

/** Which interface each of region a's networks is on, inside each container. */
async function regionInterfaces(f: FixtureProject): Promise<Renamable> {
  const entries = await Promise.all(
    ['web-a', 'cache-a'].map(async (service) => {
      const container = await f.container(service);
      const interfaces = await interfacesInside(f.engine, container.id);
      const byNetwork = Object.fromEntries(
        container.networks.map((n) => [n.networkName, interfaces.find((i) => i.address === n.ipv4)?.device]),
      );
      return [container.name, byNetwork] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function renamedInterfaces(before: Renamable, after: Renamable): RevertDifference[] {
  return Object.entries(before).flatMap(([name, networks]) =>
    Object.entries(networks).flatMap(([network, was]) => {
      const now = after[name]?.[network];
      return now === was ? [] : [{ container: name, network, aspect: 'interface' as const, before: was ?? null, after: now ?? null }];
    }),
  );
}

/** The differences of every `fault.reverted` in the journals under a runs directory (the run's and recover's). */
function journaledDifferences(runsDir: string): JournaledDifference[] {
  const files = readdirSync(runsDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.jsonl'));
  return files.flatMap((file) =>
    readFileSync(join(runsDir, file), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"fault.reverted"'))
      .flatMap((line) => (JSON.parse(line) as { data: { differences?: JournaledDifference[] } }).data.differences ?? []),
  );
}

/** The revert reported exactly `expected`: each fact in the journal, each sentence in what firedrill printed. */
function expectDifferences(expected: RevertDifference[], runsDir: string, printed: string): void {
  const order = (list: JournaledDifference[]) => list.map((d) => JSON.stringify(d)).sort();
  expect(order(journaledDifferences(runsDir))).toEqual(order(expected));
  for (const difference of expected) expect(printed).toContain(`difference: ${differenceText(difference)}`);
}

const CASES: FaultCase[] = [
  {
    name: 'service kill',
    inject: { kind: 'service', service: 'web-b', mode: 'kill' },
    applied: async (f) => (await status(f, 'web-b')) === 'exited',
  },
  {
    name: 'service stop',
    inject: { kind: 'service', service: 'web-b', mode: 'stop' },
    applied: async (f) => (await status(f, 'web-b')) === 'exited',
  },
  {
    name: 'service pause',
    inject: { kind: 'service', service: 'web-a', mode: 'pause' },
    applied: async (f) => (await status(f, 'web-a')) === 'paused',
  },
  {
    name: 'region kill',
    inject: { kind: 'region-loss', region: 'a', mode: 'kill' },
    applied: async (f) => (await status(f, 'web-a')) === 'exited',
  },
  {
    name: 'region stop',
    inject: { kind: 'region-loss', region: 'a', mode: 'stop' },
    applied: async (f) => (await status(f, 'cache-a')) === 'exited',
  },
  {
    name: 'region pause',
    inject: { kind: 'region-loss', region: 'a', mode: 'pause' },
    applied: async (f) => (await status(f, 'cache-a')) === 'paused',
  },
  {
    name: 'region isolate',
    inject: { kind: 'region-loss', region: 'a', mode: 'isolate' },
    applied: async (f) => (await f.container('web-a')).networks.length === 0,
    // As before means the same addresses, MACs and interface order too; names the engine cannot give back are reported.
    snapshot: withState(regionEndpoints),
    differences: { look: regionInterfaces, expected: renamedInterfaces },
  },
  {
    name: 'network partition',
    inject: { kind: 'network-partition', between: [['web-a'], ['web-b']] },
    applied: async (f) => (await marked(f, 'web-a')) && (await marked(f, 'web-b')),
    snapshot: withState(async (f) => [await rules(f, 'web-a'), await rules(f, 'web-b')]),
  },
  {
    name: 'packet loss',
    inject: { kind: 'packet-loss', service: 'web-b', probability: 1 },
    applied: (f) => marked(f, 'web-b'),
    snapshot: withState((f) => rules(f, 'web-b')),
  },
  {
    name: 'resource limits',
    inject: { kind: 'resource-limits', service: 'web-b', cpus: 0.5, memory: '64m' },
    applied: async (f) => (await cgroupLimits(f, 'web-b')).includes(String(64 * 1024 * 1024)),
    snapshot: withState((f) => cgroupLimits(f, 'web-b')),
  },
  {
    name: 'process kill (the main process)',
    inject: { kind: 'process-kill', service: 'web-b', process: 'nginx' },
    applied: async (f) => (await status(f, 'web-b')) === 'exited',
  },
  {
    name: 'disk fill',
    inject: { kind: 'disk-fill', service: 'client', path: '/tmp', size: '8m' },
    applied: async (f) => (await sh(f, 'client', 'ls -a /tmp')).includes('.firedrill-fill-'),
    snapshot: withState((f) => sh(f, 'client', 'ls -a /tmp')),
  },
];

// One project for the whole matrix: each case must leave it exactly as it found it anyway.
let fixture: FixtureProject;
let dir: string;
beforeAll(async () => {
  fixture = await startFixtureProject('two-region');
  dir = mkdtempSync(join(tmpdir(), 'firedrill-matrix-'));
});
afterAll(async () => {
  if (fixture) await stopFixtureProject(fixture);
});

describe.each(CASES)('$name', (fault) => {
  const snapshot = (f: FixtureProject) => (fault.snapshot ?? observe)(f);
  const slug = fault.name.replace(/\W+/g, '-');

  it('SIGKILL while applied: a new drill is refused, recover restores the topology, a second recover finds nothing', async () => {
    const before = await snapshot(fixture);
    const namesBefore = await fault.differences?.look(fixture);
    const runs = join(dir, `${slug}-killed`);
    const file = neverRecoveringPlaybook(dir, fixture, `${slug}-killed`, fault.inject);
    const { child } = await runUntilFaultApplied(file, runs);
    child.kill('SIGKILL');
    await child;
    expect(await fault.applied(fixture)).toBe(true);

    const refused = await firedrill(['run', file, '--runs-dir', runs]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain(`firedrill recover --project ${fixture.project}`);

    const recovered = await firedrill(['recover', '--project', fixture.project, '--runs-dir', runs]);
    expect(recovered.exitCode, String(recovered.all)).toBe(0);
    expect(recovered.stdout).toContain('reverted and verified');
    expect(await fault.applied(fixture)).toBe(false);
    expect(await snapshot(fixture)).toEqual(before);
    if (fault.differences && namesBefore) {
      expectDifferences(fault.differences.expected(namesBefore, await fault.differences.look(fixture)), runs, String(recovered.stdout));
    }

    const again = await firedrill(['recover', '--project', fixture.project, '--runs-dir', runs]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to recover');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while applied: the drill rolls back by itself, exit 4`, async () => {
      const before = await snapshot(fixture);
      const namesBefore = await fault.differences?.look(fixture);
      const file = neverRecoveringPlaybook(dir, fixture, `${slug}-${signal.toLowerCase()}`, fault.inject);
      const runs = join(dir, `${slug}-${signal}`);
      const { child } = await runUntilFaultApplied(file, runs);
      child.kill(signal);
      const result = await child;
      expect(result.exitCode, String(result.all)).toBe(4);
      expect(await fault.applied(fixture)).toBe(false);
      expect(await snapshot(fixture)).toEqual(before);
      if (fault.differences && namesBefore) {
        expectDifferences(fault.differences.expected(namesBefore, await fault.differences.look(fixture)), runs, String(result.stdout));
      }
    });
  }
});
