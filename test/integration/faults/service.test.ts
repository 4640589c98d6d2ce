import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { serviceFault } from '../../../src/faults/service.js';
import { faultContext, observe, recordFor, useFixtureProjects, waitForStatus } from '../compose-project.js';

const projects = useFixtureProjects('two-region', 1);

describe('service fault against a real compose project', () => {
  const main = () => projects()[0]!;

  for (const [mode, signal, effect] of [
    ['kill', 'SIGKILL', 'exited'],
    ['kill', 'SIGTERM', 'exited'],
    ['stop', undefined, 'exited'],
    ['pause', undefined, 'paused'],
  ] as const) {
    it(`${mode}${signal ? ` with ${signal}` : ''}: web-b is ${effect}, the rest runs, revert restores it`, async () => {
      const before = await observe(main());
      const record = recordFor(
        serviceFault,
        { kind: 'service', service: 'web-b', mode, ...(signal ? { signal } : {}) },
        await main().discover(),
      );

      await serviceFault.inject(record, faultContext(main().engine));

      // A signal other than SIGKILL is only delivered by the time kill returns; the process ends when it will.
      expect(await waitForStatus(main().engine, record.targets[0]!.containerId, effect)).toBe(effect);
      const during = await observe(main());
      for (const container of during) {
        expect([container.service, container.status]).toEqual([container.service, container.service === 'web-b' ? effect : 'running']);
      }
      const result = await serviceFault.revert(record, faultContext(main().engine));
      expect(result).toMatchObject({ verified: true, problems: [], manual: [] });
      expect(await observe(main())).toEqual(before);
    });
  }

  it('restart: the container starts anew; revert only confirms it runs', async () => {
    const before = await observe(main());
    const record = recordFor(serviceFault, { kind: 'service', service: 'web-b', mode: 'restart' }, await main().discover());
    const id = record.targets[0]!.containerId;
    const startedBefore = (await main().engine.inspectState(id)).startedAt;

    await serviceFault.inject(record, faultContext(main().engine));

    const after = await main().engine.inspectState(id);
    expect(after.status).toBe('running');
    expect(after.startedAt).not.toBe(startedBefore);
    const result = await serviceFault.revert(record, faultContext(main().engine));
    expect(result).toMatchObject({ verified: true, done: [`${record.targets[0]!.name} was running`] });
    expect(await observe(main())).toEqual(before);
  });

  it('refuses a service whose container is not running, before touching anything', async () => {
    const web = await main().container('web-b');
    await main().engine.stop(web.id);
    try {
      const topology = await main().discover();
      expect(() => recordFor(serviceFault, { kind: 'service', service: 'web-b', mode: 'pause' }, topology)).toThrow(ScopeError);
      expect(() => recordFor(serviceFault, { kind: 'service', service: 'web-b', mode: 'pause' }, topology)).toThrow(/is exited/);
    } finally {
      await main().engine.start(web.id);
    }
    expect((await main().engine.inspectState(web.id)).status).toBe('running');
  });
});
