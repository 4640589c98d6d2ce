import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { readJournal } from '../../src/journal/reader.js';
import { composeDown, composeUp } from '../../src/topology/compose-cli.js';
import { discoverTopology } from '../../src/topology/discover.js';
import { fixtureFile } from '../integration/compose-project.js';
import { firedrill } from './cli-process.js';

/**
 * A revert that really fails: the drill kills a container, then removes the directory
 * bind-mounted into it, so Docker refuses to start it again. The drill must not claim success:
 * exit 5, the journal records the unverified revert, the output gives the exact command to
 * finish by hand; once the cause is fixed, `firedrill recover` finishes the job.
 */
describe('a revert that fails', () => {
  const engine = createDockerEngine();
  const project = `fdtest-${randomBytes(4).toString('hex')}`;
  const file = fixtureFile('fragile');
  let dir: string;
  let bindDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firedrill-fragile-'));
    bindDir = join(dir, 'data');
    mkdirSync(bindDir);
    await composeUp({ file, project, wait: true, waitTimeoutMs: 60_000, engine, env: { FRAGILE_DIR: bindDir } });
  });
  afterAll(async () => {
    await composeDown({ file, project, volumes: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const container = async () => (await discoverTopology(engine, { project, regionLabel: 'firedrill.region' })).services[0]!.containers[0]!;

  it('exits 5 with the manual command, records it, and recover finishes once the cause is gone', async () => {
    const playbook = join(dir, 'fragile.yaml');
    writeFileSync(
      playbook,
      `${[
        'name: fragile',
        'title: A revert that cannot succeed',
        'summary: The killed container cannot start again because its bind mount is gone.',
        'topology:',
        `  composeFile: ${file}`,
        `  project: ${project}`,
        'steps:',
        '  - name: kill it',
        '    inject: { kind: service, id: killed, service: fragile, mode: kill }',
        '  - name: take its directory away',
        `    run: { kind: host, command: ["rmdir", "${bindDir}"] }`,
      ].join('\n')}\n`,
    );
    const runs = join(dir, 'runs');
    const { id } = await container();

    const result = await firedrill(['run', playbook, '--runs-dir', runs]);

    expect(result.exitCode, String(result.all)).toBe(5);
    expect(result.all).toContain(`docker start ${id}`);
    expect((await container()).status).toBe('exited');
    const runDir = /run directory: (\S+)/.exec(String(result.stdout))![1]!;
    const journal = await readJournal(join(runDir, 'journal.jsonl'));
    const reverted = journal.find((event) => event.type === 'fault.reverted')!.data as {
      verified: boolean;
      problems: string[];
      manual: string[];
    };
    expect(reverted.verified).toBe(false);
    expect(reverted.problems.join(' ')).toMatch(/bind source path does not exist/);
    expect(reverted.manual).toContain(`docker start ${id}`);
    expect(journal.find((event) => event.type === 'faults.remaining')?.data).toMatchObject({ refs: ['killed'] });

    const stillBroken = await firedrill(['recover', runDir]);
    expect(stillBroken.exitCode).toBe(5);

    mkdirSync(bindDir);
    const recovered = await firedrill(['recover', runDir]);
    expect(recovered.exitCode, String(recovered.all)).toBe(0);
    expect((await container()).status).toBe('running');
    expect((await firedrill(['recover', runDir])).stdout).toContain('nothing to recover');
  });
});
