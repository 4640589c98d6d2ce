import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { HelperSpec } from '../../src/engine/ports.js';
import { EnvironmentError } from '../../src/errors.js';
import { INSPECTOR_CAPABILITIES } from '../../src/faults/mechanisms/namespace-inspector.js';
import { BASE_IMAGE } from './require-docker.js';
import { useFixtureProjects } from './compose-project.js';

const projects = useFixtureProjects('netfaults', 1);

/** A label unique to one test, so that containers of concurrent runs never count. */
function testLabel(): Record<string, string> {
  return { 'firedrill.test': randomBytes(6).toString('hex') };
}

/** Ids of every container carrying the label (running or not, unless a status is given). */
async function containersLabelled(labels: Record<string, string>, status?: 'running'): Promise<string[]> {
  const [[key, value]] = Object.entries(labels) as [[string, string]];
  const listed = await execa('docker', [
    'ps',
    '-a',
    '-q',
    '--no-trunc',
    '--filter',
    `label=${key}=${value}`,
    ...(status ? ['--filter', `status=${status}`] : []),
  ]);
  return listed.stdout.split('\n').filter(Boolean);
}

/** Asks again every 200 ms until `done` holds or `timeoutMs` has passed; resolves with the last answer. */
async function pollUntil<T>(ask: () => Promise<T>, done: (answer: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let answer = await ask();
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await ask();
  }
  return answer;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./run-helper-child.mjs', import.meta.url));

/**
 * A Docker API proxy on a socket of its own that passes every call through to the engine,
 * except that it drops the connection instead of answering a container create, after the
 * engine has made the container: the client sees a reset, the container exists.
 */
async function resettingProxy(): Promise<{ socketPath: string; createAnswers: number[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-proxy-'));
  const socketPath = join(dir, 'docker.sock');
  const engineSocket = process.env['DOCKER_HOST']?.startsWith('unix://')
    ? process.env['DOCKER_HOST'].slice('unix://'.length)
    : '/var/run/docker.sock';
  const createAnswers: number[] = [];
  const server = createServer((request, response) => {
    const upstream = httpRequest(
      { socketPath: engineSocket, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        if (request.method === 'POST' && /\/containers\/create\b/.test(request.url ?? '')) {
          createAnswers.push(answer.statusCode ?? 0);
          answer.resume();
          answer.once('end', () => request.socket.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.once('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    createAnswers,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('helper containers (Docker adapter)', () => {
  const main = () => projects()[0]!;

  it("knows an image's id on the engine, and which images it lacks, without pulling", async () => {
    const id = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', BASE_IMAGE])).stdout.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await main().engine.imageId(BASE_IMAGE)).toBe(id);
    expect(await main().engine.imageId(id)).toBe(id);
    expect(await main().engine.imageId('firedrill-no-such-image:nope')).toBeUndefined();
    // A helper runs from the id as well as from the name.
    expect(await main().engine.runHelper({ image: id, command: ['echo', 'by id'], isolated: true })).toEqual({
      exitCode: 0,
      stdout: 'by id\n',
      stderr: '',
    });
  });

  it("runs in a target's network namespace and sees its interfaces, then is gone", async () => {
    const app = await main().container('app-a');
    const labels = testLabel();
    const result = await main().engine.runHelper({
      image: BASE_IMAGE,
      command: ['ip', '-o', '-4', 'addr', 'show'],
      networkOf: app.id,
      labels,
    });
    expect(result.exitCode).toBe(0);
    const addresses = [...result.stdout.matchAll(/ inet (\d+\.\d+\.\d+\.\d+)\//g)].map((match) => match[1]).sort();
    const expected = ['127.0.0.1', ...app.networks.map((network) => network.ipv4)].sort();
    expect(app.networks).toHaveLength(2);
    expect(addresses).toEqual(expected);
    expect(await containersLabelled(labels)).toEqual([]);
  });

  it("runs in a target's PID namespace and sees its processes", async () => {
    const app = await main().container('app-b');
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['ps', '-e', '-o', 'comm='], pidOf: app.id });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toContain('nginx');
  });

  it("the namespace inspector's container: the host's PIDs, only the capabilities asked for, no new privileges, no network, a read-only root with /run writable", async () => {
    const app = await main().container('app-a');
    const pid = (await execa('docker', ['inspect', '--format', '{{.State.Pid}}', app.id])).stdout.trim();
    const labels = testLabel();
    const script = [
      'grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status | tr -s "\t" " "',
      'ip -o link show | cut -d: -f2 | tr -d " "',
      'if touch /probe 2>/dev/null; then echo "root writable"; else echo "root read-only"; fi',
      'touch /run/xtables.lock && echo "run writable"',
      'nsenter --net="/proc/$0/ns/net" ip -o -4 addr show | grep -o "inet [0-9.]*" | sort',
    ].join('\n');
    const result = await main().engine.runHelper({
      image: BASE_IMAGE,
      command: ['sh', '-c', script, pid],
      isolated: true,
      hostPids: true,
      capAdd: [...INSPECTOR_CAPABILITIES],
      dropOtherCapabilities: true,
      readOnlyRoot: true,
      labels,
      project: main().project,
    });
    // SYS_ADMIN (21), SYS_PTRACE (19), NET_RAW (13), NET_ADMIN (12): 0x283000, and nothing else.
    const addresses = ['127.0.0.1', ...app.networks.map((network) => network.ipv4!)].sort().map((address) => `inet ${address}`);
    expect(result).toEqual({
      exitCode: 0,
      stdout: [
        'CapEff: 0000000000283000',
        'CapBnd: 0000000000283000',
        'NoNewPrivs: 1',
        'lo',
        'root read-only',
        'run writable',
        ...addresses,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(await containersLabelled(labels)).toEqual([]);
  });

  it('isolated: a network namespace of its own with loopback only', async () => {
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['ip', '-o', 'link', 'show'], isolated: true });
    expect(result.exitCode).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(':')[1]!.trim()),
    ).toEqual(['lo']);
  });

  it('passes the exit code, stdout and stderr apart, and capabilities through', async () => {
    const labels = testLabel();
    const result = await main().engine.runHelper({
      image: BASE_IMAGE,
      command: ['sh', '-c', 'echo out; echo err >&2; echo more; exit 3'],
      labels,
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'out\nmore\n', stderr: 'err\n' });
    expect(await containersLabelled(labels)).toEqual([]);

    const app = await main().container('app-b');
    const without = await main().engine.runHelper({ image: BASE_IMAGE, command: ['iptables', '-S', 'INPUT'], networkOf: app.id });
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/Permission denied|not permitted/i);
    const withCap = await main().engine.runHelper({
      image: BASE_IMAGE,
      command: ['iptables', '-S', 'INPUT'],
      networkOf: app.id,
      capAdd: ['NET_ADMIN'],
    });
    expect(withCap).toMatchObject({ exitCode: 0, stdout: '-P INPUT ACCEPT\n' });
  });

  it('the engine removes the helper by itself once its command ends, even after the process that started it was killed', async () => {
    const labels = testLabel();
    // Runs until the test lets it finish (bounded at 60 s, so a failed test leaves nothing for long).
    const waitForGo = 'i=0; while [ ! -e /tmp/go ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i+1)); done';
    const spec: HelperSpec = { image: BASE_IMAGE, command: ['sh', '-c', waitForGo], isolated: true, capAdd: ['NET_ADMIN'], labels };
    const child = execa(process.execPath, ['--experimental-transform-types', '--no-warnings', CHILD_SCRIPT, JSON.stringify(spec)], {
      reject: false,
      all: true,
    });
    try {
      const [id] = await pollUntil(
        () => containersLabelled(labels, 'running'),
        (ids) => ids.length > 0,
        30_000,
      );
      expect(id, 'the child process never started its helper').toBeDefined();
      child.kill('SIGKILL');
      const ended = await child;
      expect(ended.signal).toBe('SIGKILL');
      expect(ended.stdout).toBe('');

      // Its creator is gone; the helper still runs, set up to be removed by the engine.
      const [inspected] = JSON.parse((await execa('docker', ['inspect', id!])).stdout) as [
        {
          State: { Running: boolean };
          HostConfig: { AutoRemove: boolean; NetworkMode: string; CapAdd: string[] };
          Config: { Labels: Record<string, string>; Tty: boolean };
        },
      ];
      expect(inspected.State.Running).toBe(true);
      expect(inspected.HostConfig).toMatchObject({ AutoRemove: true, NetworkMode: 'none', CapAdd: ['NET_ADMIN'] });
      expect(inspected.Config).toMatchObject({ Tty: false, Labels: { ...labels, 'firedrill.helper': 'true' } });

      // The helper ends as soon as it sees the file, which can kill this exec before it reports
      // back (exit 137): what counts is that the helper then goes away.
      await execa('docker', ['exec', id!, 'touch', '/tmp/go'], { reject: false });
      expect(
        await pollUntil(
          () => containersLabelled(labels),
          (ids) => ids.length === 0,
          30_000,
        ),
      ).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await child;
      for (const id of await containersLabelled(labels)) await execa('docker', ['rm', '-f', id], { reject: false });
    }
  });

  it('a create that fails after the engine made the helper (the connection reset) still removes it, by its name', async () => {
    const labels = testLabel();
    const proxy = await resettingProxy();
    try {
      const engine = createDockerEngine({ host: `unix://${proxy.socketPath}` });
      await expect(engine.runHelper({ image: BASE_IMAGE, command: ['true'], isolated: true, labels })).rejects.toThrow(
        /not reachable|socket hang up|ECONNRESET/,
      );
      // The engine did make it: the answer to the create was lost on the way back.
      expect(proxy.createAnswers).toEqual([201]);
      expect(await containersLabelled(labels)).toEqual([]);
    } finally {
      await proxy.close();
      for (const id of await containersLabelled(labels)) await execa('docker', ['rm', '-f', id], { reject: false });
    }
  });

  it('a command that outlives its timeout is killed and removed', async () => {
    const labels = testLabel();
    await expect(
      main().engine.runHelper({ image: BASE_IMAGE, command: ['sleep', '60'], isolated: true, labels }, { timeoutMs: 1_000 }),
    ).rejects.toThrow(/run helper `sleep 60` from firedrill-base:bookworm: did not finish within 1000ms/);
    expect(await containersLabelled(labels)).toEqual([]);
  });

  it('an aborted call removes the helper too', async () => {
    const labels = testLabel();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('drill stopped')), 1_000);
    await expect(
      main().engine.runHelper({ image: BASE_IMAGE, command: ['sleep', '60'], isolated: true, labels }, { signal: controller.signal }),
    ).rejects.toThrow(/cancelled \(drill stopped\)/);
    expect(await containersLabelled(labels)).toEqual([]);
  });

  it('a helper that cannot start (its target is stopped) fails with the reason and leaves nothing', async () => {
    const store = await main().container('store-a');
    const labels = testLabel();
    await main().engine.stop(store.id, { timeoutSeconds: 1 });
    try {
      await expect(main().engine.runHelper({ image: BASE_IMAGE, command: ['true'], networkOf: store.id, labels })).rejects.toThrow(
        /cannot join network of a non running container/,
      );
      expect(await containersLabelled(labels)).toEqual([]);
    } finally {
      await main().engine.start(store.id);
    }
  });

  it('an unreachable engine is an EnvironmentError, not a helper left behind', async () => {
    const missing = createDockerEngine({ host: 'unix:///tmp/firedrill-no-such-docker.sock' });
    await expect(missing.runHelper({ image: BASE_IMAGE, command: ['true'], isolated: true })).rejects.toBeInstanceOf(EnvironmentError);
    await expect(missing.imageId(BASE_IMAGE)).rejects.toThrow(/^Docker is not reachable at unix:\/\/\/tmp\/firedrill-no-such-docker.sock/);
  });

  it('drains large output completely', async () => {
    const script = 'head -c 300000 /dev/zero | tr "\\0" a; head -c 70000 /dev/zero | tr "\\0" b >&2';
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['sh', '-c', script], isolated: true });
    expect(result).toEqual({ exitCode: 0, stdout: 'a'.repeat(300_000), stderr: 'b'.repeat(70_000) });
  });
});
