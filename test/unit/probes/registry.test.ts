import { describe, expect, it } from 'vitest';
import { describeProbe, probeRegistry, runProbe } from '../../../src/probes/registry.js';
import { probeSpecSchema } from '../../../src/probes/spec-schema.js';
import { systemClock } from '../../../src/clock.js';
import { FakeEngine } from '../../support/fake-engine.js';

describe('probe registry', () => {
  it('has one probe per kind of the spec union, each under its own kind', () => {
    const kinds = probeSpecSchema.options.map((option) => option.shape.kind.value).sort();
    expect(Object.keys(probeRegistry).sort()).toEqual(kinds);
    for (const [kind, probe] of Object.entries(probeRegistry)) expect(probe.kind).toBe(kind);
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
