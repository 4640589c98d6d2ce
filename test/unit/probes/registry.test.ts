import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Probe } from '../../../src/probes/probe.js';
import { describeProbe, probeRegistry, runProbe } from '../../../src/probes/registry.js';
import { probeSpecSchema } from '../../../src/probes/spec-schema.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

describe('probe registry', () => {
  it('is what the spec union is built from: each probe its schema, in the registry order', () => {
    expect(probeSpecSchema.options).toHaveLength(probeRegistry.length);
    probeRegistry.forEach((probe, i) => expect(probeSpecSchema.options[i]).toBe(probe.schema));
  });

  it('files each probe once, under the kind its schema takes', () => {
    const kinds = probeSpecSchema.options.map((option) => option.shape.kind.value);
    expect(new Set(kinds).size).toBe(kinds.length);
    probeRegistry.forEach((probe, i) => expect(probe.kind).toBe(kinds[i]));
  });

  it('describeProbe puts the playbook name before the probe line, and uses the probe line alone without one', () => {
    const named = probeSpecSchema.parse({ kind: 'tcp', port: 6379, name: 'cache port open' });
    expect(describeProbe(named)).toBe('cache port open: TCP connect to 127.0.0.1:6379');
    const unnamed = probeSpecSchema.parse({ kind: 'health', service: 'app' });
    expect(describeProbe(unnamed)).toBe('every container of app is healthy');
  });

  it('runProbe dispatches on kind', async () => {
    const engine = new FakeEngine([{ service: 'app', health: 'unhealthy' }]);
    const ctx = { engine, topology: engine.topology(), signal: new AbortController().signal, clock: systemClock };
    const result = await runProbe(probeSpecSchema.parse({ kind: 'health', service: 'app' }), ctx);
    expect(result).toMatchObject({ ok: false, summary: 'demo-app-1 is unhealthy (expected healthy)' });
    expect(engine.callsTo('inspectState')).toEqual([[engine.container('demo-app-1').id]]);
  });
});

describe('a probe kind added to the registry', () => {
  const REGISTRY = '../../../src/probes/registry.js';
  afterEach(() => {
    vi.doUnmock(REGISTRY);
    vi.resetModules();
  });

  // A kind no real probe will take: the test adds it beside the real ones.
  const pigeonSchema = z.strictObject({ kind: z.literal('carrier-pigeon'), name: z.string().optional(), loft: z.string() });
  const pigeonProbe: Probe<z.output<typeof pigeonSchema>, typeof pigeonSchema> = {
    kind: 'carrier-pigeon',
    schema: pigeonSchema,
    describe: (spec) => `a pigeon comes back to ${spec.loft}`,
    run: async () => ({ ok: true, summary: 'back home', latencyMs: 0 }),
  };

  it('is a kind the steady state of a playbook takes, with no other line written', async () => {
    vi.resetModules();
    vi.doMock(REGISTRY, async (importOriginal) => {
      const actual = await importOriginal<typeof import('../../../src/probes/registry.js')>();
      return { ...actual, probeRegistry: [...actual.probeRegistry, pigeonProbe] };
    });
    const { playbookSchema } = await import('../../../src/playbook/schema.js');
    const steps = [{ name: 'home', wait: { probe: { kind: 'carrier-pigeon', loft: 'the roof' } } }];
    const playbook = playbookSchema.parse({ name: 'pigeon', title: 'Pigeon', summary: 'Birds fly.', topology: { project: 'p' }, steps });
    expect(playbook.steps[0]?.wait?.probe).toEqual({ kind: 'carrier-pigeon', loft: 'the roof' });
  });
});
