import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireProjectLock, LOCK_LABELS, projectLockName } from '../../src/lock/project-lock.js';
import { useFixtureProjects } from './compose-project.js';

const projects = useFixtureProjects('two-region', 1);

/** What `docker inspect` says about a container, read independently of the adapter. */
async function inspect(
  name: string,
): Promise<{ status: string; networkMode: string; labels: Record<string, string>; entrypoint: string[] }> {
  const result = await execa('docker', ['inspect', '--format', '{{json .}}', name]);
  const info = JSON.parse(result.stdout) as {
    State: { Status: string };
    HostConfig: { NetworkMode: string };
    Config: { Labels: Record<string, string>; Entrypoint: string[] };
  };
  return {
    status: info.State.Status,
    networkMode: info.HostConfig.NetworkMode,
    labels: info.Config.Labels,
    entrypoint: info.Config.Entrypoint,
  };
}

describe('engine locks (Docker adapter)', () => {
  const fixture = () => projects()[0]!;
  const made: string[] = [];
  /** A lock name no other test uses; removed after the file by its exact name. */
  const uniqueName = () => {
    const name = `firedrill-lock-fdtest-${randomBytes(4).toString('hex')}`;
    made.push(name);
    return name;
  };
  afterAll(async () => {
    for (const name of made)
      await fixture()
        ?.engine.removeLock(name)
        .catch(() => undefined);
  });

  it('creates a never-started, networkless container with only the given labels, once per name', async () => {
    const { engine } = fixture();
    const image = (await fixture().container('client')).imageId;
    const name = uniqueName();
    expect(await engine.createLock(name, image, { [LOCK_LABELS.lock]: 'true', [LOCK_LABELS.pid]: '42' })).toBe(true);
    expect(await engine.createLock(name, image, { [LOCK_LABELS.lock]: 'true', [LOCK_LABELS.pid]: '43' })).toBe(false);

    const seen = await inspect(name);
    expect(seen.status).toBe('created');
    expect(seen.networkMode).toBe('none');
    expect(seen.entrypoint).toEqual(['true']);
    expect(seen.labels).toEqual({ [LOCK_LABELS.lock]: 'true', [LOCK_LABELS.pid]: '42' });
    expect(await engine.readLock(name)).toEqual({ [LOCK_LABELS.lock]: 'true', [LOCK_LABELS.pid]: '42' });
  });

  it('removes a lock, and removing or reading a lock that is gone is fine', async () => {
    const { engine } = fixture();
    const name = uniqueName();
    expect(await engine.createLock(name, (await fixture().container('client')).imageId, { [LOCK_LABELS.lock]: 'true' })).toBe(true);
    await engine.removeLock(name);
    expect(await engine.readLock(name)).toBeUndefined();
    await expect(engine.removeLock(name)).resolves.toBeUndefined();
    const gone = await execa('docker', ['inspect', name], { reject: false });
    expect(gone.exitCode).not.toBe(0);
  });

  it('never pulls: an image that is not on the engine is an error naming it', async () => {
    await expect(
      fixture().engine.createLock(uniqueName(), 'firedrill-no-such-image:never', { [LOCK_LABELS.lock]: 'true' }),
    ).rejects.toThrow(/create lock firedrill-lock-fdtest-[0-9a-f]+: .*firedrill-no-such-image/);
  });

  it("a project's lock is invisible to discovery: the topology is unchanged while it is held", async () => {
    const project = fixture();
    const before = await project.discover();
    const image = (await project.container('client')).imageId;
    const held = await acquireProjectLock(project.engine, { project: project.project, image, purpose: 'run', ttlMs: 60_000 });
    made.push(projectLockName(project.project));
    try {
      expect((await inspect(held.name)).labels[LOCK_LABELS.project]).toBe(project.project);
      expect(await project.discover()).toEqual(before);
    } finally {
      await held.release();
    }
    expect(await project.engine.readLock(held.name)).toBeUndefined();
  });
});
