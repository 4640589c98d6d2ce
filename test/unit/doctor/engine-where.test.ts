import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineWhere } from '../../../src/doctor/engine-check.js';

/** A docker CLI config directory with the given current context and context descriptions. */
function dockerConfig(current: string | undefined, contexts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-docker-config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(current === undefined ? { auths: {} } : { auths: {}, currentContext: current }));
  for (const [name, host] of Object.entries(contexts)) {
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      join(meta, 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
    );
  }
  return dir;
}

describe('firedrill doctor: which engine, and how it was chosen', () => {
  it('DOCKER_HOST wins, for firedrill and the docker CLI alike: no context is looked at', async () => {
    const config = dockerConfig('remote', { remote: 'ssh://deploy@staging' });
    expect(await engineWhere({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_CONFIG: config })).toEqual({
      endpoint: 'tcp://127.0.0.1:2375',
      chosenBy: 'DOCKER_HOST',
    });
  });

  it('without DOCKER_HOST, the default socket, and the context the docker CLI uses when it is not "default"', async () => {
    const config = dockerConfig('colima', { colima: 'unix:///home/sre/.colima/default/docker.sock' });
    const where = await engineWhere({ DOCKER_CONFIG: config });
    expect(where).toMatchObject({
      chosenBy: 'default-socket',
      context: { name: 'colima', host: 'unix:///home/sre/.colima/default/docker.sock', selectedBy: 'config.json' },
    });
    expect(where.endpoint).toMatch(/^unix:\/\/\/.*docker\.sock$/);
  });

  it('DOCKER_CONTEXT selects a context over config.json; a context without a description has no address', async () => {
    const config = dockerConfig('colima', {});
    expect((await engineWhere({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'lab' })).context).toEqual({
      name: 'lab',
      selectedBy: 'DOCKER_CONTEXT',
    });
  });

  it('the default context, or no config at all, is no context', async () => {
    expect((await engineWhere({ DOCKER_CONFIG: dockerConfig('default', {}) })).context).toBeUndefined();
    expect((await engineWhere({ DOCKER_CONFIG: dockerConfig(undefined, {}) })).context).toBeUndefined();
    expect((await engineWhere({ DOCKER_CONFIG: join(tmpdir(), 'firedrill-no-such-docker-config') })).context).toBeUndefined();
  });
});
