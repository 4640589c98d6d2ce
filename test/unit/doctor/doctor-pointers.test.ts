import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeEngine } from '../../support/fake-engine.js';

/** The environment errors that `firedrill doctor` explains end by pointing to it (the engine's and compose's are tested beside them). */
describe('environment errors point to firedrill doctor', () => {
  it('a helper image that is not on the engine', async () => {
    const engine = new FakeEngine([{ service: 'worker', project: 'billing' }], { project: 'billing', endpoint: 'tcp://127.0.0.1:2375' });
    engine.images.clear();
    const playbook = playbookSchema.parse({
      name: 'worker-stall',
      title: 'Worker stall',
      summary: 'The worker process is killed.',
      topology: { project: 'billing', helperImage: 'ops/nettools:3' },
      steps: [{ name: 'kill the worker', inject: { kind: 'process-kill', id: 'stall', service: 'worker', process: 'php-fpm' } }],
    });
    const planning = planDrill({ playbook, file: 'stall.yaml', sha256: 'c'.repeat(64), project: 'billing' }, engine);
    await expect(planning).rejects.toBeInstanceOf(EnvironmentError);
    const message = await planning.catch((error: Error) => error.message);
    expect(message).toMatch(
      /^fault "stall" \(process-kill\) run helper containers from image ops\/nettools:3, which is not on the engine at /,
    );
    expect(message).toMatch(/^.* tcp:\/\/127\.0\.0\.1:2375 — .* \(run `firedrill doctor` to check this machine\)$/);
  });
});
