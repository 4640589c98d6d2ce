import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerInfo } from '../../../src/engine/ports.js';
import { EnvironmentError } from '../../../src/errors.js';
import { pinRunning } from '../../../src/faults/mechanisms/container-modes.js';
import { detectCompose, findComposeCommands } from '../../../src/topology/compose-cli.js';
import { composeCommandName } from '../../../src/topology/compose-command-name.js';
import { discoverTopology } from '../../../src/topology/discover.js';
import type { Topology } from '../../../src/topology/topology.js';
import { FakeEngine } from '../../support/fake-engine.js';

/**
 * Compose detection with stand-ins for `docker` and `docker-compose` first on PATH, and the
 * messages that then name the compose command this machine has.
 */

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
afterEach(() => vi.unstubAllEnvs());

function onPath(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-compose-tools-'));
  made.push(dir);
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body.replaceAll('$DIR', dir)}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  vi.stubEnv('PATH', `${dir}:${process.env.PATH ?? ''}`);
  return dir;
}

/** Marks itself started, then waits (5 s at most) for the other one to have started: only both at once answer. */
function meetsThe(other: string, mine: string, version: string): string {
  return [
    `touch "$DIR/${mine}"`,
    'i=0',
    `while [ ! -e "$DIR/${other}" ]; do i=$((i + 1)); [ $i -gt 50 ] && exit 1; sleep 0.1; done`,
    `echo ${version}`,
  ].join('\n');
}

describe('compose detection', () => {
  it('asks `docker compose` and `docker-compose` at the same time', async () => {
    onPath({
      docker: `[ "$1 $2" = "compose version" ] || exit 64\n${meetsThe('v1-started', 'v2-started', '2.29.1')}`,
      'docker-compose': meetsThe('v2-started', 'v1-started', '1.29.2'),
    });
    const found = await findComposeCommands();
    expect(found).toEqual({
      v2: { argv: ['docker', 'compose'], version: '2.29.1', flavour: 'v2' },
      v1: { argv: ['docker-compose'], version: '1.29.2', flavour: 'v1' },
    });
  });

  it('no compose at all is an environment error that says what to install and points to doctor', async () => {
    onPath({ docker: 'exit 1', 'docker-compose': 'exit 127' });
    await expect(findComposeCommands()).resolves.toEqual({});
    const detected = detectCompose();
    await expect(detected).rejects.toBeInstanceOf(EnvironmentError);
    await expect(detected).rejects.toThrow(/install the plugin .* \(run `firedrill doctor` to check this machine\)$/);
  });

  it('messages suggest `docker compose` until detection finds docker-compose, then docker-compose', async () => {
    const stopped = { id: 'c1', name: 'shop_web_1', service: 'web', status: 'exited' } as ContainerInfo;
    const topology = { project: 'shop' } as Topology;
    expect(() => pinRunning([stopped], topology, 'region-loss')).toThrow('start it first (docker compose up -d)');

    onPath({ docker: 'echo "docker: \'compose\' is not a docker command." >&2; exit 1', 'docker-compose': 'echo 1.29.2' });
    expect(await detectCompose()).toMatchObject({ argv: ['docker-compose'], flavour: 'v1' });
    expect(composeCommandName()).toBe('docker-compose');
    expect(() => pinRunning([stopped], topology, 'region-loss')).toThrow('start it first (docker-compose up -d)');
    await expect(
      discoverTopology(new FakeEngine([], { project: 'shop' }), { project: 'shop', regionLabel: 'firedrill.region' }),
    ).rejects.toThrow('(docker-compose -p shop -f <file> up -d)');
  });
});
