import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { InternalError } from '../../../src/errors.js';
import type { Fault } from '../../../src/faults/fault.js';
import { faultRegistry, getFault } from '../../../src/faults/registry.js';
import { faultSpecSchema } from '../../../src/faults/spec-schema.js';

const REGISTRY = '../../../src/faults/registry.js';

describe('fault registry', () => {
  it('is what the playbook union is built from: each fault its schema, in the registry order', () => {
    expect(faultSpecSchema.options).toHaveLength(faultRegistry.length);
    faultRegistry.forEach((fault, i) => expect(faultSpecSchema.options[i]).toBe(fault.schema));
  });

  it('files each fault once, under the kind its schema takes', () => {
    const kinds = faultSpecSchema.options.map((option) => option.shape.kind.value);
    expect(new Set(kinds).size).toBe(kinds.length);
    faultRegistry.forEach((fault, i) => {
      expect(fault.kind).toBe(kinds[i]);
      expect(getFault(fault.kind)).toBe(fault);
    });
  });

  it('an unknown kind is an InternalError naming the registered ones, in the registry order', () => {
    const known = faultRegistry.map((fault) => fault.kind);
    expect(known.slice(0, 2)).toEqual(['region-loss', 'service']);
    expect(() => getFault('meteor-strike')).toThrow(InternalError);
    expect(() => getFault('meteor-strike')).toThrow(`no fault kind "meteor-strike" is registered (known: ${known.join(', ')})`);
  });
});

describe('a fault kind added to the registry', () => {
  afterEach(() => {
    vi.doUnmock(REGISTRY);
    vi.resetModules();
  });

  const meteorSchema = z.strictObject({ kind: z.literal('meteor-strike'), id: z.string().optional(), crater: z.string() });
  const meteorStrike: Fault<z.output<typeof meteorSchema>, typeof meteorSchema> = {
    kind: 'meteor-strike',
    schema: meteorSchema,
    revertible: false,
    describe: (spec) => `a meteor leaves a crater in ${spec.crater}`,
    targets: () => [],
    plan: () => [],
    inject: async () => undefined,
    revert: async () => ({ verified: true, done: [], problems: [], manual: [] }),
  };

  it('is a kind the playbook schema and its JSON Schema take, with no other line written', async () => {
    vi.resetModules();
    vi.doMock(REGISTRY, async (importOriginal) => {
      const actual = await importOriginal<typeof import('../../../src/faults/registry.js')>();
      return { ...actual, faultRegistry: [...actual.faultRegistry, meteorStrike] };
    });
    const { playbookSchema } = await import('../../../src/playbook/schema.js');
    const { playbookJsonSchemaText } = await import('../../../src/playbook/json-schema.js');
    const step = { name: 'strike', inject: { kind: 'meteor-strike', id: 'big-one', crater: 'the north rack' } };
    const playbook = playbookSchema.parse({
      name: 'sky',
      title: 'Sky falls',
      summary: 'A rock.',
      topology: { project: 'p' },
      steps: [step],
    });
    expect(playbook.steps[0]?.inject).toEqual(step.inject);
    expect(playbookJsonSchemaText()).toContain('"const": "meteor-strike"');
  });
});
