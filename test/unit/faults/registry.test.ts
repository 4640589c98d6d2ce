import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/errors.js';
import { faultSpecSchema } from '../../../src/faults/spec-schema.js';
import { faultRegistry, getFault } from '../../../src/faults/registry.js';

describe('fault registry', () => {
  it('has one fault per kind of the playbook union, under its own kind', () => {
    const kinds = faultSpecSchema.options.map((option) => option.shape.kind.value).sort();
    expect(Object.keys(faultRegistry).sort()).toEqual(kinds);
    for (const kind of kinds) expect(getFault(kind).kind).toBe(kind);
  });

  it('an unknown kind is an InternalError naming the known ones', () => {
    expect(() => getFault('meteor-strike')).toThrow(InternalError);
    expect(() => getFault('meteor-strike')).toThrow(
      'no fault kind "meteor-strike" is registered (known: region-loss, service, cache-purge, network-partition, packet-loss, latency, resource-limits, process-kill, disk-fill)',
    );
  });
});
