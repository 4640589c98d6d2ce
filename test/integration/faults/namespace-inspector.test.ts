import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createDockerEngine } from '../../../src/engine/docker-engine.js';
import type { Engine } from '../../../src/engine/ports.js';
import { ScopeError } from '../../../src/errors.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import type { FaultTarget } from '../../../src/faults/fault.js';
import { readNamespaces } from '../../../src/faults/mechanisms/namespace-inspector.js';
import { networkPartition } from '../../../src/faults/network-partition.js';
import { readNamespace } from '../../../src/faults/mechanisms/netns-helper.js';
import { listingText, type NamespaceReading } from '../../../src/faults/mechanisms/netns-listings.js';
import { parseAddresses, parseQdiscs } from '../../../src/faults/mechanisms/traffic-control.js';
import { faultContext, useFixtureProjects } from '../compose-project.js';
import { BASE_IMAGE } from '../require-docker.js';
import { helperRecord, inNetns, iptablesListing, recordingHelpers } from './netns-probes.js';

/**
 * Planning a network partition on a real engine: every target's namespace is read by ONE
 * namespace inspector helper (counted in the engine's own events, by the project's label), an
 * earlier drill's rule is still refused at plan time (nft and legacy, which needs the
 * inspector's NET_RAW and its /run), and when the engine refuses the inspector (a policy, here
 * an authorization proxy in front of the engine) or its image cannot enter namespaces, each
 * target is read by its own helper and the plan says so.
 */

const projects = useFixtureProjects('netfaults', 1);

/** The helper containers the engine created for a fault since `since` (seconds), with their labels. */
async function helpersCreated(faultId: string, since: number): Promise<Record<string, string>[]> {
  const until = Date.now() / 1000 + 1;
  const events = await execa('docker', [
    'events',
    '--since',
    since.toFixed(3),
    '--until',
    until.toFixed(3),
    '--filter',
    'type=container',
    '--filter',
    'event=create',
    '--filter',
    `label=firedrill.fault=${faultId}`,
    '--format',
    '{{json .Actor.Attributes}}',
  ]);
  return events.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>);
}

/** A fault id of its own for each plan, so that the engine's events tell its helpers apart. */
const faultId = () => `cut-${randomBytes(4).toString('hex')}`;

function partitionPlaybook(project: string, id: string, helperImage?: string) {
  return playbookSchema.parse({
    name: 'cut-ledger',
    title: 'Cut the front off the back',
    summary: 'A partition, planned only.',
    topology: { project, ...(helperImage ? { helperImage } : {}) },
    steps: [
      {
        name: 'partition',
        inject: {
          kind: 'network-partition',
          id,
          between: [
            ['app-a', 'store-a'],
            ['app-b', 'peer-c'],
          ],
        },
      },
    ],
  });
}

function plan(engine: Engine, project: string, opts: { id?: string; helperImage?: string } = {}) {
  const playbook = partitionPlaybook(project, opts.id ?? faultId(), opts.helperImage);
  return planDrill({ playbook, file: 'inline', sha256: '0'.repeat(64), project }, engine);
}

/**
 * A Docker API proxy on a socket of its own that answers a container create asking for the
 * host's PID namespace as an authorization plugin would (403), and passes everything else on
 * (attach's upgraded connection as raw bytes).
 */
async function policyProxy(): Promise<{ socketPath: string; refused: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-policy-'));
  const socketPath = join(dir, 'docker.sock');
  const engineSocket = process.env['DOCKER_HOST']?.startsWith('unix://')
    ? process.env['DOCKER_HOST'].slice('unix://'.length)
    : '/var/run/docker.sock';
  const state = { socketPath, refused: 0, close: async () => undefined };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'POST' && /\/containers\/create\b/.test(request.url ?? '')) {
        const asked = JSON.parse(body.toString('utf8') || '{}') as { HostConfig?: { PidMode?: string } };
        if (asked.HostConfig?.PidMode === 'host') {
          state.refused += 1;
          response.writeHead(403, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ message: 'authorization denied by plugin ledger-policy: host PID namespace is not allowed' }));
          return;
        }
      }
      const upstream = httpRequest(
        { socketPath: engineSocket, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          // A wait answers its headers at once and its body only at the end: pass the headers on now.
          response.flushHeaders();
          answer.pipe(response);
        },
      );
      upstream.once('error', () => request.socket.destroy());
      upstream.end(body);
    });
  });
  // Attach upgrades the connection to a raw stream: passed through as bytes.
  server.on('upgrade', (request, socket, head) => {
    const upstream = connect(engineSocket, () => {
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`),
      );
      upstream.write([`${request.method} ${request.url} HTTP/1.1`, ...headers, '', ''].join('\r\n'));
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.once('error', () => socket.destroy());
    socket.once('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  state.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  return state;
}

describe('the namespace inspector on a real engine', () => {
  const main = () => projects()[0]!;

  it('plans a partition of four containers from ONE helper container, labelled for recover', async () => {
    const { project } = main();
    const { engine, helpers } = recordingHelpers(main().engine);
    const since = Date.now() / 1000 - 1;
    const id = faultId();

    const planned = await plan(engine, project, { id });

    const record = planned.faults.get(0)!;
    expect(record.targets.map((t) => t.service)).toEqual(['app-a', 'store-a', 'app-b', 'peer-c']);
    expect(record.notes).toBeUndefined();
    expect(helpers).toHaveLength(1);
    expect(helpers[0]).toMatchObject({ hostPids: true, isolated: true, readOnlyRoot: true, dropOtherCapabilities: true, project });
    const created = await helpersCreated(id, since);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      'firedrill.helper': 'true',
      'firedrill.project': project,
      'firedrill.fault': id,
      image: record.helperImage,
    });
  });

  it("still refuses at plan time a target holding an earlier drill's rule, in iptables-nft or iptables-legacy, touching nothing", async () => {
    const { project } = main();
    const [storeA, peerC] = await Promise.all(['store-a', 'peer-c'].map((s) => main().container(s)));
    const nft = ['INPUT', '-s', '10.255.255.7/32', '-m', 'comment', '--comment', 'firedrill:step-7', '-j', 'DROP'];
    const legacy = ['OUTPUT', '-d', '10.255.255.8/32', '-m', 'comment', '--comment', 'firedrill:old-cut', '-j', 'DROP'];
    await inNetns(main().engine, peerC!.id, ['iptables', '-A', ...nft]);
    onTestFinished(() => inNetns(main().engine, peerC!.id, ['iptables', '-D', ...nft]).then(() => undefined));
    const peerBefore = await iptablesListing(main().engine, peerC!.id);
    const { engine, helpers } = recordingHelpers(main().engine);

    const planning = plan(engine, project);

    await expect(planning).rejects.toBeInstanceOf(ScopeError);
    await expect(planning).rejects.toThrow(
      new RegExp(`^${peerC!.name} \\(peer-c\\) already holds 1 iptables rule marked by firedrill \\(firedrill:step-7\\): `),
    );
    await expect(planning).rejects.toThrow(/iptables-nft -D INPUT -s 10\.255\.255\.7\/32 -m comment --comment firedrill:step-7 -j DROP$/);
    expect(helpers.map((h) => h.hostPids)).toEqual([true]);

    // A rule in the legacy tables of a target earlier in the record's order is the one named.
    await inNetns(main().engine, storeA!.id, ['iptables-legacy', '-A', ...legacy]);
    onTestFinished(() => inNetns(main().engine, storeA!.id, ['iptables-legacy', '-D', ...legacy]).then(() => undefined));
    const legacyPlanning = plan(engine, project);
    await expect(legacyPlanning).rejects.toThrow(
      new RegExp(`^${storeA!.name} \\(store-a\\) already holds 1 iptables rule marked by firedrill \\(firedrill:old-cut\\): `),
    );
    await expect(legacyPlanning).rejects.toThrow(
      /iptables-legacy -D OUTPUT -d 10\.255\.255\.8\/32 -m comment --comment firedrill:old-cut -j DROP$/,
    );
    expect(helpers.map((h) => h.hostPids)).toEqual([true, true]);
    expect(await iptablesListing(main().engine, peerC!.id)).toBe(peerBefore);
  });

  it("reads addresses and qdiscs (latency's listings) of every target from the one helper, the same as a helper per target", async () => {
    const topology = await main().discover();
    const record = helperRecord(
      networkPartition,
      {
        kind: 'network-partition',
        between: [
          ['app-a', 'store-a'],
          ['app-b', 'peer-c'],
        ],
      },
      topology,
      faultId(),
    );
    const { engine, helpers } = recordingHelpers(main().engine);
    const look = (target: FaultTarget, reading: NamespaceReading) => ({
      name: target.name,
      addresses: parseAddresses(listingText(reading, 'addresses'))
        .map((a) => a.ipv4)
        .sort(),
      roots: parseQdiscs(listingText(reading, 'qdiscs'))
        .filter((q) => q.root)
        .map((q) => `${q.device} ${q.kind} ${q.handle}`)
        .sort(),
    });

    const { results, note } = await readNamespaces(
      record,
      ['addresses', 'qdiscs'],
      { ...faultContext(engine), project: main().project },
      look,
    );

    expect(note).toBeUndefined();
    expect(helpers.map((h) => h.hostPids)).toEqual([true]);
    expect(results.map((r) => r.name)).toEqual(record.targets.map((t) => t.name));
    for (const [index, target] of record.targets.entries()) {
      expect(results[index]!.addresses).toEqual(['127.0.0.1', ...target.networks!.map((n) => n.ipv4!)].sort());
      expect(results[index]).toEqual(
        look(target, await readNamespace(record, target, ['addresses', 'qdiscs'], faultContext(main().engine))),
      );
    }
  });

  it('an engine that refuses the inspector gets a helper per target, the same verdicts, and a note in the plan', async () => {
    const { project } = main();
    const proxy = await policyProxy();
    onTestFinished(() => proxy.close());
    const { engine, helpers } = recordingHelpers(createDockerEngine({ host: `unix://${proxy.socketPath}` }));
    const since = Date.now() / 1000 - 1;
    const id = faultId();

    const planned = await plan(engine, project, { id });

    expect(proxy.refused).toBe(1);
    const record = planned.faults.get(0)!;
    expect(record.notes).toHaveLength(1);
    expect(record.notes![0]).toMatch(
      /^each target's network namespace was read by a helper container of its own, .* could not be run: .*authorization denied by plugin ledger-policy: host PID namespace is not allowed/,
    );
    expect(helpers.slice(1).map((h) => h.networkOf)).toEqual(record.targets.map((t) => t.containerId));
    expect(await helpersCreated(id, since)).toHaveLength(4);

    const appB = await main().container('app-b');
    const leftover = ['INPUT', '-s', '10.255.255.9/32', '-m', 'comment', '--comment', 'firedrill:step-2', '-j', 'DROP'];
    await inNetns(main().engine, appB.id, ['iptables', '-A', ...leftover]);
    onTestFinished(() => inNetns(main().engine, appB.id, ['iptables', '-D', ...leftover]).then(() => undefined));
    await expect(plan(engine, project)).rejects.toThrow(
      new RegExp(`^${appB.name} \\(app-b\\) already holds 1 iptables rule marked by firedrill \\(firedrill:step-2\\)`),
    );
  });

  it('a helper image without nsenter: the inspector ends at once, each target is read by its own helper, and the plan says why', async () => {
    const { project } = main();
    const created = (
      await execa('docker', ['create', '--label', 'firedrill.test=committed-image', BASE_IMAGE, 'rm', '/usr/bin/nsenter'])
    ).stdout.trim();
    let image: string;
    try {
      await execa('docker', ['start', '--attach', created]);
      image = (await execa('docker', ['commit', created])).stdout.trim();
    } finally {
      await execa('docker', ['rm', '-f', created], { reject: false });
    }
    onTestFinished(() => execa('docker', ['rmi', image], { reject: false }).then(() => undefined));
    const { engine, helpers } = recordingHelpers(main().engine);

    const planned = await plan(engine, project, { helperImage: image });

    expect(planned.faults.get(0)!.notes).toEqual([
      "each target's network namespace was read by a helper container of its own, one after another as the engine starts them: " +
        'the namespace inspector, one helper that reads them all, ended with exit code 3: nsenter (util-linux) is not in the helper image',
    ]);
    expect(helpers.map((h) => h.hostPids ?? false)).toEqual([true, false, false, false, false]);
  });
});
