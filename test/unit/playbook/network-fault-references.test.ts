import { describe, expect, it } from 'vitest';
import { checkReferences, type KnownTopology } from '../../../src/playbook/references.js';
import { playbookSchema } from '../../../src/playbook/schema.js';

const known: KnownTopology = { services: ['app-a', 'app-b', 'store'], regions: {}, regionLabel: 'firedrill.region' };

function issuesFor(inject: Record<string, unknown>) {
  const playbook = playbookSchema.parse({
    name: 'p',
    title: 't',
    summary: 's',
    topology: { project: 'shop' },
    steps: [{ name: 'net', inject }],
  });
  return checkReferences(playbook, known).map((issue) => [issue.path, issue.message]);
}

describe('services named by network faults', () => {
  it('checks both sides of a partition', () => {
    expect(issuesFor({ kind: 'network-partition', between: [['app-a', 'app-c'], ['app-b']] })).toEqual([
      [['steps', 0, 'inject', 'between', 0, 1], 'steps[0].inject.between[0][1]: service "app-c" is not defined in the compose file'],
    ]);
  });

  it('checks the service and the sources of packet loss, and the service of latency', () => {
    expect(issuesFor({ kind: 'packet-loss', service: 'stor', probability: 0.5, from: ['app-a', 'db'] }).map(([path]) => path)).toEqual([
      ['steps', 0, 'inject', 'service'],
      ['steps', 0, 'inject', 'from', 1],
    ]);
    expect(issuesFor({ kind: 'latency', service: 'store', delay: '100ms' })).toEqual([]);
  });
});
