import { describe, expect, it } from 'vitest';
import { ScopeError } from '../../../src/errors.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { playbookSchema, type PlaybookInput } from '../../../src/playbook/schema.js';
import { planDrill } from '../../../src/plan/plan.js';
import { globMatches, refuseProjectOutsideAllowLists } from '../../../src/plan/scope.js';
import { FakeEngine, type FakeContainerSeed } from '../../support/fake-engine.js';

const PROJECT = 'staging-eu';

describe('project allow-lists', () => {
  it.each([
    ['staging-*', 'staging-eu', true],
    ['staging-*', 'staging-', true],
    ['staging-*', 'prod-staging-eu', false],
    ['staging-?', 'staging-1', true],
    ['staging-?', 'staging-12', false],
    ['shop', 'shop', true],
    ['shop', 'shop2', false],
    ['shop.v1', 'shopxv1', false], // regex characters are literal
    ['*', 'anything', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('passes a project every list allows, with no list set at all too', () => {
    expect(() => refuseProjectOutsideAllowLists(PROJECT, [])).not.toThrow();
    expect(() =>
      refuseProjectOutsideAllowLists(PROJECT, [
        { patterns: ['dev', 'staging-*'], source: 'FIREDRILL_ALLOWED_PROJECTS' },
        { patterns: ['staging-eu'], source: 'firedrill.config.yaml' },
      ]),
    ).not.toThrow();
  });

  it('refuses a project any list leaves out (exit 2), naming that list', () => {
    const refuse = () =>
      refuseProjectOutsideAllowLists(PROJECT, [
        { patterns: ['staging-*'], source: 'FIREDRILL_ALLOWED_PROJECTS' },
        { patterns: ['staging-us'], source: 'firedrill.config.yaml' },
      ]);
    expect(refuse).toThrow(ScopeError);
    expect(refuse).toThrow('compose project staging-eu is outside the allowed projects (firedrill.config.yaml allows staging-us)');
    expect(new ScopeError('x').exitCode).toBe(ExitCode.Usage);
  });

  it('an empty list allows no project', () => {
    expect(() => refuseProjectOutsideAllowLists(PROJECT, [{ patterns: [], source: 'cfg.yaml' }])).toThrow('cfg.yaml allows no project');
  });
});

function playbook(overrides: Partial<PlaybookInput> = {}) {
  return playbookSchema.parse({
    name: 'scoped',
    title: 'Scoped',
    summary: 'A drill.',
    topology: { project: PROJECT },
    steps: [{ name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } }],
    ...overrides,
  });
}

function plan(seeds: FakeContainerSeed[], overrides: Partial<PlaybookInput> = {}, allowed?: string[]) {
  const engine = new FakeEngine(seeds, { project: PROJECT });
  const input = { playbook: playbook(overrides), file: 'scoped.yaml', sha256: 'a'.repeat(64), project: PROJECT };
  const allowedProjects = allowed ? [{ patterns: allowed, source: 'FIREDRILL_ALLOWED_PROJECTS' }] : [];
  return { engine, planned: planDrill(input, engine, { allowedProjects }) };
}

const PROTECTED = { 'firedrill.protected': 'true' };

describe('planning within scope', () => {
  it('refuses a project outside the allow-list before asking the engine anything', async () => {
    const { engine, planned } = plan([{ service: 'app' }], {}, ['prod-*']);
    await expect(planned).rejects.toThrow('compose project staging-eu is outside the allowed projects');
    expect(engine.calls).toEqual([]);
  });

  it('plans a project the allow-list matches by glob', async () => {
    const { planned } = plan([{ service: 'app' }], {}, ['staging-*']);
    expect((await planned).faults.get(0)?.targets.map((t) => t.name)).toEqual(['staging-eu-app-1']);
  });

  it('refuses a fault whose target carries firedrill.protected=true, naming the container and the label', async () => {
    const { engine, planned } = plan([{ service: 'app', labels: PROTECTED }, { service: 'db' }]);
    const error = await planned.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopeError);
    expect((error as Error).message).toContain('the drill would touch protected containers (firedrill.protected=true)');
    expect((error as Error).message).toContain('fault "crash" (service) targets container staging-eu-app-1 (service app)');
    expect(engine.callsTo('kill')).toEqual([]);
  });

  it('names every protected container a drill would touch, run steps included', async () => {
    const { planned } = plan(
      [{ service: 'app', labels: PROTECTED }, { service: 'db', labels: { 'firedrill.protected': 'YES' } }, { service: 'edge' }],
      {
        restore: [{ name: 'restart the db', run: { kind: 'restart', service: 'db' } }],
      },
    );
    const message = String(await planned.catch((e: unknown) => (e as Error).message));
    expect(message).toContain('fault "crash" (service) targets container staging-eu-app-1 (service app)');
    expect(message).toContain('restore step "restart the db" (restart) acts on container staging-eu-db-1 (service db)');
  });

  it('lets probes observe a protected container, and ignores firedrill.protected=false', async () => {
    const { planned } = plan(
      [
        { service: 'app', labels: { 'firedrill.protected': 'false' } },
        { service: 'db', labels: PROTECTED },
      ],
      {
        steps: [
          { name: 'crash the app', inject: { kind: 'service', id: 'crash', service: 'app', mode: 'kill' } },
          { name: 'db answers', wait: { probe: { kind: 'exec', service: 'db', command: ['true'] }, every: '1s', timeout: '10s' } },
        ],
      },
    );
    await expect(planned).resolves.toBeDefined();
  });

  it('refuses the whole project when all its containers are protected, whatever the drill does', async () => {
    const { planned } = plan(
      [
        { service: 'app', labels: PROTECTED },
        { service: 'db', labels: PROTECTED },
      ],
      {
        steps: [{ name: 'just wait', pause: '1s' }],
      },
    );
    await expect(planned).rejects.toThrow(
      'compose project staging-eu is protected: every one of its containers carries firedrill.protected=true',
    );
  });

  it('never looks at a look-alike project with the same service names', async () => {
    const engine = new FakeEngine(
      [
        { service: 'app', project: PROJECT },
        { service: 'app', project: 'staging-us', labels: PROTECTED },
      ],
      { project: PROJECT },
    );
    const input = { playbook: playbook(), file: 'scoped.yaml', sha256: 'a'.repeat(64), project: PROJECT };
    const planned = await planDrill(input, engine);
    expect(planned.faults.get(0)?.targets.map((t) => t.name)).toEqual(['staging-eu-app-1']);
  });
});
