import { describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/cli/ui/paint.js';
import { renderPlanText } from '../../../src/cli/ui/plan-text.js';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { describePlan } from '../../../src/plan/plan-document.js';
import { planHash } from '../../../src/plan/plan-hash.js';
import { planDrill } from '../../../src/plan/plan.js';
import { FakeEngine } from '../../support/fake-engine.js';

const PROJECT = 'shop';

async function documentFor(overrides: Partial<PlaybookInput> = {}) {
  const engine = new FakeEngine(
    [
      { service: 'app', labels: { 'firedrill.region': 'a' } },
      { service: 'cache', labels: { 'firedrill.region': 'a' } },
      { service: 'edge' },
    ],
    { project: PROJECT },
  );
  const playbook = playbookSchema.parse({
    name: 'region-a',
    title: 'Loss of region a',
    summary: 'Region a goes away.',
    topology: { project: PROJECT },
    steadyState: { probes: [{ kind: 'tcp', port: 8080 }], within: '30s' },
    timeLimit: '5m',
    steps: [
      { name: 'purge the cache', inject: { kind: 'cache-purge', id: 'purge', service: 'cache', cache: 'redis' } },
      { name: 'lose region a', inject: { kind: 'region-loss', id: 'a-down', region: 'a', mode: 'stop' } },
      { name: 'edge answers', wait: { probe: { kind: 'tcp', port: 8080 }, every: '500ms', timeout: '30s', rto: '10s' } },
      { name: 'settle', pause: '2s' },
    ],
    restore: [{ name: 'restart the edge', run: { kind: 'restart', service: 'edge' } }],
    ...overrides,
  });
  const plan = await planDrill({ playbook, file: 'drills/region-a.yaml', sha256: 'c'.repeat(64), project: PROJECT }, engine);
  return { plan, doc: describePlan(plan) };
}

describe('the plan document', () => {
  it('lists every step in order, with each fault pinned and its actions paired with their reverts', async () => {
    const { plan, doc } = await documentFor();
    expect(doc.planHash).toBe(planHash(plan));
    expect(doc.steps.map((s) => [s.index, s.action, s.name])).toEqual([
      [0, 'inject', 'purge the cache'],
      [1, 'inject', 'lose region a'],
      [2, 'wait', 'edge answers'],
      [3, 'pause', 'settle'],
    ]);
    expect(doc.steps[1]?.fault?.targets.map((t) => t.name)).toEqual(['shop-app-1', 'shop-cache-1']);
    expect(doc.steps[1]?.fault?.actions).toEqual([
      {
        apply: 'stop container shop-app-1 (service app) (SIGTERM, then SIGKILL after its grace period)',
        revert: 'start shop-app-1 again and check that it is running',
      },
      {
        apply: 'stop container shop-cache-1 (service cache) (SIGTERM, then SIGKILL after its grace period)',
        revert: 'start shop-cache-1 again and check that it is running',
      },
    ]);
    expect(doc.rollbackOrder.map((r) => r.ref)).toEqual(['a-down', 'purge']); // newest first
    expect(doc.rollbackOrder[1]?.reverts).toEqual([null]); // a purge cannot be undone
    expect(doc.restore.map((s) => s.describe)).toEqual(['restart every container of edge']);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON for --json
  });

  it('shows the stop conditions with their rules, and the maximum duration of a fault', async () => {
    const { doc } = await documentFor({
      stopConditions: [{ name: 'edge answers', probe: { kind: 'tcp', port: 8080 }, every: '500ms', tolerate: '2s' }],
      steps: [{ name: 'lose region a', inject: { kind: 'region-loss', id: 'a-down', region: 'a', mode: 'pause', maxDuration: '30s' } }],
    });
    expect(doc.stopConditions).toEqual([
      {
        name: 'edge answers',
        probe: expect.stringContaining('8080'),
        everyMs: 500,
        from: 'first-fault',
        breachesWhen: 'it fails for 2s without a break',
      },
    ]);
    expect(doc.steps[0]?.maxDurationMs).toBe(30_000);
    const text = renderPlanText(doc, paintFor(false));
    expect(text).toContain('Stop conditions (a breach aborts the drill and rolls it back):');
    expect(text).toMatch(/- "edge answers": .*8080.*, every 500ms from the first fault; breaches when it fails for 2s without a break/);
    expect(text).toContain('reverted 30s after it is applied, if still in effect (maxDuration)');
  });

  it('has no rollback order when the playbook says rollback: never', async () => {
    const { doc } = await documentFor({ rollback: 'never' });
    expect(doc.rollbackOrder).toEqual([]);
    expect(renderPlanText(doc, paintFor(false))).toContain('Rollback: never (the playbook says so)');
  });
});

describe('the plan in words', () => {
  it('says what each step does, what is done to which container and how it is undone, then the hash', async () => {
    const { doc } = await documentFor();
    const text = renderPlanText(doc, paintFor(false));
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Plan for drill region-a: Loss of region a',
      '  playbook    drills/region-a.yaml (sha256 cccccccccccc)',
      `  project     shop on unix:///var/run/docker.sock`,
      '  time limit  5m, then abort and roll back',
    ]);
    expect(text).toContain('Steady state (must hold before the first step, and again within 30s after the rollback):\n  - ');
    expect(text).toContain(
      [
        '  2. lose region a — inject: stop every container of region a',
        '       fault "a-down" (region-loss) on 2 containers:',
        `         shop-app-1 (service app, id ${doc.steps[1]!.fault!.targets[0]!.containerId.slice(0, 12)})`,
        `         shop-cache-1 (service cache, id ${doc.steps[1]!.fault!.targets[1]!.containerId.slice(0, 12)})`,
        '       do    stop container shop-app-1 (service app) (SIGTERM, then SIGKILL after its grace period)',
        '       undo  start shop-app-1 again and check that it is running',
      ].join('\n'),
    );
    expect(text).toContain('       undo  cannot be undone');
    expect(text).toContain('  3. edge answers — wait: wait until');
    expect(text).toContain('  4. settle — pause: pause for 2s');
    expect(text).toContain(
      [
        'Rollback, newest fault first (a fault already reverted and verified during the steps is skipped):',
        '  - "a-down" (region-loss): start shop-app-1 again and check that it is running; start shop-cache-1 again and check that it is running',
        '  - "purge" (cache-purge): cannot be undone',
      ].join('\n'),
    );
    expect(text).toContain(
      'Restore steps (after the rollback, even after an abort):\n  1. restart the edge — run: restart every container of edge',
    );
    expect(lines.at(-1)).toBe(`Plan hash: ${doc.planHash}`);
  });

  it('shows what preflight measured for an action on a line of its own, under what it does', async () => {
    const { doc } = await documentFor();
    const [first, second] = doc.steps[1]!.fault!.actions;
    doc.steps[1]!.fault!.actions = [{ ...first!, measured: 'matching: app pid 7' }, second!];
    const text = renderPlanText(doc, paintFor(false));
    expect(text).toContain(
      [
        '       do    stop container shop-app-1 (service app) (SIGTERM, then SIGKILL after its grace period)',
        '       now   matching: app pid 7',
        '       undo  start shop-app-1 again and check that it is running',
        '       do    stop container shop-cache-1 (service cache) (SIGTERM, then SIGKILL after its grace period)',
        '       undo  start shop-cache-1 again and check that it is running',
      ].join('\n'),
    );
  });

  it('says so when nothing is injected', async () => {
    const { doc } = await documentFor({ steps: [{ name: 'settle', pause: '2s' }], restore: undefined });
    const text = renderPlanText(doc, paintFor(false));
    expect(text).toContain('Rollback: nothing to revert (no fault is injected).');
    expect(text).not.toContain('Restore steps');
  });
});
