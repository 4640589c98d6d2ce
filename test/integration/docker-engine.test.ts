import { describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { EnvironmentError } from '../../src/errors.js';
import { useFixtureProjects } from './compose-project.js';

const projects = useFixtureProjects('two-region', 1);

describe('Docker adapter', () => {
  const main = () => projects()[0]!;

  it('pings the engine and says where it is', async () => {
    const engine = createDockerEngine();
    expect(engine.endpoint).toMatch(/^(unix|tcp|ssh|npipe):\/\//);
    const version = await engine.ping();
    expect(version.version).toMatch(/^\d+\.\d+/);
    expect(version.apiVersion).toMatch(/^1\.\d+$/);
  });

  it('an unreachable engine is an EnvironmentError that says where and what to do', async () => {
    const missing = createDockerEngine({ host: 'unix:///tmp/firedrill-no-such-docker.sock' });
    const ping = missing.ping();
    await expect(ping).rejects.toBeInstanceOf(EnvironmentError);
    await expect(ping).rejects.toThrow(
      /^Docker is not reachable at unix:\/\/\/tmp\/firedrill-no-such-docker.sock: connect ENOENT .* — start the Docker daemon/,
    );
    await expect(ping).rejects.toThrow(/ — start the Docker daemon or set DOCKER_HOST \(run `firedrill doctor` to check this machine\)$/);
    const refused = createDockerEngine({ host: 'tcp://127.0.0.1:1' });
    expect(refused.endpoint).toBe('tcp://127.0.0.1:1');
    await expect(refused.listProjectContainers('x')).rejects.toThrow(/not reachable at tcp:\/\/127.0.0.1:1: connect ECONNREFUSED/);
  });

  it('exec demultiplexes stdout and stderr and reports the exit code', async () => {
    const web = await main().container('web-b');
    const result = await main().engine.exec(web.id, ['sh', '-c', 'echo out; echo err >&2; echo more; exit 7']);
    expect(result).toEqual({ exitCode: 7, stdout: 'out\nmore\n', stderr: 'err\n' });
  });

  it('exec drains large output completely before taking the exit code', async () => {
    const web = await main().container('web-b');
    const script = 'head -c 300000 /dev/zero | tr "\\0" a; head -c 70000 /dev/zero | tr "\\0" b >&2';
    const result = await main().engine.exec(web.id, ['sh', '-c', script]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('a'.repeat(300_000));
    expect(result.stderr).toBe('b'.repeat(70_000));
  });

  it('exec rejects with a clear error on timeout and on abort', async () => {
    const web = await main().container('web-b');
    const started = Date.now();
    await expect(main().engine.exec(web.id, ['sleep', '20'], { timeoutMs: 300 })).rejects.toThrow(
      /run `sleep 20` in container .*web-b.*: did not finish within 300ms/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('drill stopped')), 300);
    await expect(main().engine.exec(web.id, ['sleep', '20'], { signal: controller.signal })).rejects.toThrow(/cancelled \(drill stopped\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('"already so" answers are success; other refusals say what was being done', async () => {
    const { engine } = main();
    const web = await main().container('web-b');
    const front = web.networks[0]!;
    await engine.start(web.id); // running
    await engine.unpause(web.id); // not paused
    await engine.connect(front.networkId, web.id, { aliases: front.aliases }); // already on it
    await engine.stop(web.id);
    await engine.stop(web.id); // stopped
    await engine.kill(web.id); // not running
    await engine.pause(web.id); // not running
    await engine.disconnect(front.networkId, web.id);
    await engine.disconnect(front.networkId, web.id); // not on it
    await engine.connect(front.networkId, web.id, { aliases: front.aliases });
    await engine.start(web.id);
    expect((await engine.inspectState(web.id)).status).toBe('running');
    expect((await engine.attachedNetworks(web.id)).map((n) => [n.networkName, [...n.aliases].sort()])).toEqual([
      [front.networkName, [...front.aliases].sort()],
    ]);

    await expect(engine.pause('f'.repeat(64))).rejects.toThrow(/^pause container ffffffffffff: No such container/);
    await engine.pause(web.id);
    try {
      await expect(engine.exec(web.id, ['true'])).rejects.toThrow(new RegExp(`in container ${web.name}: .*paused`));
    } finally {
      await engine.unpause(web.id);
    }
  });
});
