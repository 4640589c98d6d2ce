import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { regionLoss } from '../../../src/faults/region-loss.js';
import { serviceFault } from '../../../src/faults/service.js';
import { detectCompose } from '../../../src/topology/compose-cli.js';
import { faultContext, observe, recordFor, useFixtureProjects, type FixtureProject } from '../compose-project.js';

const projects = useFixtureProjects('two-region', 1);

/** What compose does when someone redeploys a service mid-drill: a new container, a new id. */
async function recreate(project: FixtureProject, service: string): Promise<void> {
  const compose = await detectCompose();
  const [command, ...prefix] = compose.argv;
  await execa(command!, [...prefix, '-p', project.project, '-f', project.file, 'up', '-d', '--force-recreate', '--no-deps', service], {
    timeout: 60_000,
  });
}

describe('a fault whose target is removed or replaced during the drill', () => {
  const main = () => projects()[0]!;

  it('paused web-b recreated by compose: revert records it as gone, touches the new container not at all, and verifies', async () => {
    const record = recordFor(serviceFault, { kind: 'service', service: 'web-b', mode: 'pause' }, await main().discover());
    const oldId = record.targets[0]!.containerId;
    await serviceFault.inject(record, faultContext(main().engine));
    expect((await main().engine.inspectState(oldId)).status).toBe('paused');

    await recreate(main(), 'web-b');
    const replacement = await main().container('web-b');
    expect(replacement.id).not.toBe(oldId);
    const startedAt = (await main().engine.inspectState(replacement.id)).startedAt;

    const result = await serviceFault.revert(record, faultContext(main().engine));

    expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
    expect(result.done).toEqual([
      `${record.targets[0]!.name} no longer exists (removed or replaced during the drill); nothing of the fault can remain on it`,
    ]);
    expect(await main().engine.inspectState(replacement.id)).toMatchObject({ status: 'running', startedAt });
  });

  it('region a isolated, then one of its containers removed: the other is reconnected, the removed one recorded', async () => {
    const before = await observe(main());
    const record = recordFor(regionLoss, { kind: 'region-loss', region: 'a', mode: 'isolate' }, await main().discover());
    await regionLoss.inject(record, faultContext(main().engine));
    const removed = record.targets.find((target) => target.service === 'cache-a')!;
    await execa('docker', ['rm', '-f', removed.containerId], { timeout: 30_000 });

    const result = await regionLoss.revert(record, faultContext(main().engine));

    expect(result.verified).toBe(true);
    expect(result.done).toContain(
      `${removed.name} no longer exists (removed or replaced during the drill); nothing of the fault can remain on it`,
    );
    const after = await observe(main());
    expect(after.filter((c) => c.service !== 'cache-a')).toEqual(before.filter((c) => c.service !== 'cache-a'));
    expect(after.some((c) => c.service === 'cache-a')).toBe(false);
  });
});
