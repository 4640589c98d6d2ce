import { describe, expect, it } from 'vitest';
import { suggestRegions } from '../../../src/scaffold/region-suggestions.js';

const LABEL = 'firedrill.region';
const services = (...names: string[]) => names.map((name) => ({ name, labels: {} }));

describe('suggestRegions', () => {
  it('takes the region labels when any service has one, and ignores name patterns then', () => {
    const suggestion = suggestRegions(
      [
        { name: 'web-a', labels: { [LABEL]: 'eu' } },
        { name: 'web-b', labels: { [LABEL]: 'us' } },
        { name: 'cache-a', labels: { [LABEL]: 'eu' } },
        { name: 'edge', labels: {} },
      ],
      LABEL,
    );
    expect(suggestion).toEqual({
      source: { kind: 'labels', label: LABEL },
      regions: { eu: ['web-a', 'cache-a'], us: ['web-b'] },
      unusable: [],
    });
  });

  it('suggests regions from letter, compass, zone and number suffixes', () => {
    expect(suggestRegions(services('edge', 'app-a', 'app-b', 'cache-a', 'db'), LABEL)).toMatchObject({
      source: { kind: 'names', pattern: 'a letter suffix (-a, -b)' },
      regions: { a: ['app-a', 'cache-a'], b: ['app-b'] },
    });
    expect(suggestRegions(services('web_east', 'web_west', 'queue_east'), LABEL).regions).toEqual({
      east: ['web_east', 'queue_east'],
      west: ['web_west'],
    });
    expect(suggestRegions(services('db-dc1', 'db-dc2', 'app-dc1'), LABEL).regions).toEqual({ dc1: ['db-dc1', 'app-dc1'], dc2: ['db-dc2'] });
    // A two-part suffix is a zone before it is a number.
    expect(suggestRegions(services('app-dc-1', 'app-dc-2'), LABEL)).toMatchObject({
      source: { pattern: 'a zone or site suffix (-dc1, -dc2)' },
      regions: { 'dc-1': ['app-dc-1'], 'dc-2': ['app-dc-2'] },
    });
    expect(suggestRegions(services('my-api-1', 'my-api-2', 'proxy'), LABEL)).toMatchObject({
      source: { kind: 'names', pattern: 'a number suffix (-1, -2)' },
      regions: { 1: ['my-api-1'], 2: ['my-api-2'] },
    });
  });

  it('takes the pattern that covers the most services', () => {
    // Letters cover four services, numbers two.
    expect(suggestRegions(services('web-a', 'web-b', 'db-a', 'db-b', 'worker-1', 'worker-2'), LABEL).regions).toEqual({
      a: ['web-a', 'db-a'],
      b: ['web-b', 'db-b'],
    });
  });

  it('needs a pattern that repeats: one stem in two suffixes', () => {
    const none = suggestRegions(services('redis-7', 'python-3', 'web-a', 'db'), LABEL);
    expect(none.source.kind).toBe('none');
    expect(none.regions).toEqual({});
    expect(none.source).toMatchObject({ reason: expect.stringContaining(`no service has the label ${LABEL}`) });
  });

  it('lists label values a playbook cannot use as region names, with the reason', () => {
    const suggestion = suggestRegions(
      [
        { name: 'web-1', labels: { [LABEL]: 'eu west' } },
        { name: 'web-2', labels: { [LABEL]: 'us' } },
      ],
      LABEL,
    );
    expect(suggestion.regions).toEqual({ us: ['web-2'] });
    expect(suggestion.unusable).toEqual([{ region: 'eu west', reason: expect.stringContaining('not a region name a playbook accepts') }]);
  });
});
