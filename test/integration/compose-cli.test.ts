import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { EnvironmentError } from '../../src/errors.js';
import { composeDown, composeUp, detectCompose } from '../../src/topology/compose-cli.js';
import { fixtureFile } from './compose-project.js';

describe('compose command line wrapper', () => {
  it('detects a working compose and its flavour', async () => {
    const compose = await detectCompose();
    expect(compose.argv).toEqual(compose.flavour === 'v2' ? ['docker', 'compose'] : ['docker-compose']);
    expect(compose.version).toMatch(/^v?\d+\.\d+/);
  });

  it('a failing `up` is an EnvironmentError carrying the tail of compose output', async () => {
    const up = composeUp({ file: '/nonexistent/docker-compose.yml', project: 'fdtest-missing' });
    await expect(up).rejects.toBeInstanceOf(EnvironmentError);
    await expect(up).rejects.toThrow(
      /could not start compose project "fdtest-missing" with `.* -f \/nonexistent\/docker-compose.yml -p fdtest-missing up -d` \(exit code \d+\):\n.*nonexistent/s,
    );
  });

  it('waits for health with a bound, then says which container is not ready; down removes it all', async () => {
    const project = `fdtest-${randomBytes(4).toString('hex')}`;
    const file = fixtureFile('never-healthy');
    const engine = createDockerEngine();
    const lines: string[] = [];
    try {
      const started = Date.now();
      const up = composeUp({ file, project, wait: true, waitTimeoutMs: 3_000, engine, onLine: (line) => lines.push(line) });
      await expect(up).rejects.toThrow(
        new RegExp(`compose project "${project}" was not ready within 3s \\(.*sick.*: running, (starting|unhealthy)\\)`),
      );
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(lines.join('\n')).toMatch(/sick/);
    } finally {
      await composeDown({ file, project, volumes: true });
    }
    expect(await engine.listProjectContainers(project)).toEqual([]);
    expect(await engine.listProjectNetworks(project)).toEqual([]);
  });
});
