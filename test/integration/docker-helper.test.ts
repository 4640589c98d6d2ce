import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { EnvironmentError } from '../../src/errors.js';
import { BASE_IMAGE } from './require-docker.js';
import { useFixtureProjects } from './compose-project.js';

const projects = useFixtureProjects('netfaults', 1);

/** A label unique to one test, so that containers of concurrent runs never count. */
function testLabel(): Record<string, string> {
  return { 'firedrill.test': randomBytes(6).toString('hex') };
}

/** Ids of every container (running or not) carrying the label. */
async function containersLabelled(labels: Record<string, string>): Promise<string[]> {
  const [[key, value]] = Object.entries(labels) as [[string, string]];
  const listed = await execa('docker', ['ps', '-a', '-q', '--filter', `label=${key}=${value}`]);
  return listed.stdout.split('\n').filter(Boolean);
}

describe('helper containers (Docker adapter)', () => {
  const main = () => projects()[0]!;

  it('knows which images are on the engine, without pulling', async () => {
    expect(await main().engine.hasImage(BASE_IMAGE)).toBe(true);
    expect(await main().engine.hasImage('firedrill-no-such-image:nope')).toBe(false);
  });

  it("runs in a target's network namespace and sees its interfaces, then is gone", async () => {
    const app = await main().container('app-a');
    const labels = testLabel();
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['ip', '-o', '-4', 'addr', 'show'], networkOf: app.id, labels });
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

  it('isolated: a network namespace of its own with loopback only', async () => {
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['ip', '-o', 'link', 'show'], isolated: true });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => line.split(':')[1]!.trim())).toEqual(['lo']);
  });

  it('passes the exit code, stdout and stderr apart, and capabilities through', async () => {
    const labels = testLabel();
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['sh', '-c', 'echo out; echo err >&2; echo more; exit 3'], labels });
    expect(result).toEqual({ exitCode: 3, stdout: 'out\nmore\n', stderr: 'err\n' });
    expect(await containersLabelled(labels)).toEqual([]);

    const app = await main().container('app-b');
    const without = await main().engine.runHelper({ image: BASE_IMAGE, command: ['iptables', '-S', 'INPUT'], networkOf: app.id });
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/Permission denied|not permitted/i);
    const withCap = await main().engine.runHelper({ image: BASE_IMAGE, command: ['iptables', '-S', 'INPUT'], networkOf: app.id, capAdd: ['NET_ADMIN'] });
    expect(withCap).toMatchObject({ exitCode: 0, stdout: '-P INPUT ACCEPT\n' });
  });

  it('runs with auto-remove, so the engine removes it even if this process dies mid-run', async () => {
    const app = await main().container('app-b');
    const labels = testLabel();
    const running = main().engine.runHelper({ image: BASE_IMAGE, command: ['sleep', '2'], networkOf: app.id, capAdd: ['NET_ADMIN'], labels });
    let ids: string[] = [];
    for (let i = 0; i < 50 && ids.length === 0; i++) {
      ids = await containersLabelled(labels);
      if (ids.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ids).toHaveLength(1);
    const inspected = JSON.parse((await execa('docker', ['inspect', ids[0]!])).stdout) as [
      { HostConfig: { AutoRemove: boolean; NetworkMode: string; CapAdd: string[] }; Config: { Labels: Record<string, string>; Tty: boolean } },
    ];
    expect(inspected[0].HostConfig).toMatchObject({ AutoRemove: true, NetworkMode: `container:${app.id}`, CapAdd: ['NET_ADMIN'] });
    expect(inspected[0].Config).toMatchObject({ Tty: false, Labels: { ...labels, 'firedrill.helper': 'true' } });
    expect(await running).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await containersLabelled(labels)).toEqual([]);
  });

  it('a command that outlives its timeout is killed and removed', async () => {
    const labels = testLabel();
    await expect(main().engine.runHelper({ image: BASE_IMAGE, command: ['sleep', '60'], isolated: true, labels }, { timeoutMs: 1_000 })).rejects.toThrow(
      /run helper `sleep 60` from firedrill-base:bookworm: did not finish within 1000ms/,
    );
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
    await expect(missing.hasImage(BASE_IMAGE)).rejects.toThrow(/^Docker is not reachable at unix:\/\/\/tmp\/firedrill-no-such-docker.sock/);
  });

  it('drains large output completely', async () => {
    const script = 'head -c 300000 /dev/zero | tr "\\0" a; head -c 70000 /dev/zero | tr "\\0" b >&2';
    const result = await main().engine.runHelper({ image: BASE_IMAGE, command: ['sh', '-c', script], isolated: true });
    expect(result).toEqual({ exitCode: 0, stdout: 'a'.repeat(300_000), stderr: 'b'.repeat(70_000) });
  });
});
