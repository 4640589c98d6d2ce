import { describe, expect, it } from 'vitest';
import { actionRegistry, describeAction, runAction } from '../../../src/actions/registry.js';
import { revertActionSchema } from '../../../src/actions/revert.js';
import { actionSpecSchema } from '../../../src/actions/spec-schema.js';
import { InternalError } from '../../../src/errors.js';
import { FakeEngine } from '../../support/fake-engine.js';

function context() {
  const engine = new FakeEngine([{ service: 'app', status: 'exited' }]);
  return { engine, ctx: { engine, topology: engine.topology(), signal: new AbortController().signal } };
}

describe('action registry', () => {
  it('is what the spec union is built from: the schemas in the registry order, one shared schema once, then revert', () => {
    const schemas = [...new Set(actionRegistry.map((action) => action.schema)), revertActionSchema];
    expect(schemas).toHaveLength(actionRegistry.length); // start and restart share one; revert comes last
    expect(actionSpecSchema.options).toHaveLength(schemas.length);
    schemas.forEach((schema, i) => expect(actionSpecSchema.options[i]).toBe(schema));
  });

  it('covers every kind of the spec union except revert, each kind once', () => {
    const kinds = actionSpecSchema.options.flatMap((option) => [...option.shape.kind._zod.values].map(String));
    expect(actionRegistry.map((action) => action.kind)).toEqual(kinds.filter((kind) => kind !== 'revert'));
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
