import { describe, expect, it } from 'vitest';
import { actionRegistry, describeAction, runAction } from '../../../src/actions/registry.js';
import { actionSpecSchema } from '../../../src/actions/spec-schema.js';
import { InternalError } from '../../../src/errors.js';
import { FakeEngine } from '../../support/fake-engine.js';

function context() {
  const engine = new FakeEngine([{ service: 'app', status: 'exited' }]);
  return { engine, ctx: { engine, topology: engine.topology(), signal: new AbortController().signal } };
}

describe('action registry', () => {
  it('covers every kind of the spec union except revert, each under its own kind', () => {
    const kinds = actionSpecSchema.options.flatMap((option) => [...option.shape.kind._zod.values].map(String));
    expect(Object.keys(actionRegistry).sort()).toEqual(kinds.filter((kind) => kind !== 'revert').sort());
    for (const [kind, action] of Object.entries(actionRegistry)) expect(action.kind).toBe(kind);
  });

  it('dispatches on kind', async () => {
    const { engine, ctx } = context();
    const result = await runAction(actionSpecSchema.parse({ kind: 'start', service: 'app' }), ctx);
    expect(result).toEqual({ ok: true, summary: 'started 1 container' });
    expect(engine.container('demo-app-1').status).toBe('running');
    expect(describeAction(actionSpecSchema.parse({ kind: 'restart', service: 'app' }))).toBe('restart every container of app');
  });

  it('refuses revert, which the runner carries out', async () => {
    const { engine, ctx } = context();
    const revert = actionSpecSchema.parse({ kind: 'revert', fault: 'kill-b' });
    await expect(runAction(revert, ctx)).rejects.toBeInstanceOf(InternalError);
    expect(() => describeAction(revert)).toThrow(InternalError);
    expect(engine.calls).toHaveLength(0);
  });
});
