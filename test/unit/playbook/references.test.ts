import { describe, expect, it } from 'vitest';
import type { ComposeFile } from '../../../src/playbook/compose-file.js';
import { checkReferences, knownTopology } from '../../../src/playbook/references.js';
import { playbookSchema, type Playbook, type PlaybookInput } from '../../../src/playbook/schema.js';

function playbook(parts: Partial<PlaybookInput>): Playbook {
  const steps = [{ name: 'pause', pause: '1s' }];
  return playbookSchema.parse({ name: 'p', title: 't', summary: 's', topology: { project: 'shop' }, steps, ...parts });
}

const kill = (id: string, service = 'db') => ({ name: `kill ${id}`, inject: { kind: 'service' as const, id, service } });
const revert = (fault: string) => ({ name: `revert ${fault}`, run: { kind: 'revert' as const, fault } });

describe('fault references', () => {
  it('accepts references to faults injected earlier, restore steps included', () => {
    const p = playbook({
      steps: [kill('a'), { name: 'wait', wait: { probe: { kind: 'health', service: 'db' }, from: 'a' } }],
      restore: [revert('a')],
    });
    expect(checkReferences(p)).toEqual([]);
  });

  it('refuses a fault injected by a restore step: it runs after the rollback, nothing would revert it', () => {
    const p = playbook({ steps: [kill('a')], restore: [kill('late')] });
    expect(checkReferences(p)).toEqual([
      {
        path: ['restore', 0, 'inject'],
        message: 'restore[0].inject: a restore step cannot inject a fault: restore runs after the rollback, so nothing would revert it',
        hint: 'inject faults in steps',
      },
    ]);
  });

  it('treats restore steps as running after the drill steps', () => {
    const p = playbook({ steps: [revert('late')], restore: [kill('late')] });
    expect(checkReferences(p).filter((issue) => issue.path[0] === 'steps')).toEqual([
      {
        path: ['steps', 0, 'run', 'fault'],
        message: 'steps[0].run.fault: fault "late" is injected later, by restore[0] ("kill late")',
        hint: 'a step can only refer to a fault injected before it',
      },
    ]);
  });

  it('finds ids used twice across steps and restore', () => {
    const p = playbook({ steps: [kill('a')], restore: [kill('a')] });
    expect(checkReferences(p).map((issue) => issue.message)).toContain(
      'restore[0].inject.id: fault id "a" is already used by steps[0] ("kill a")',
    );
  });

  it('refuses ids of the form id-less faults are named by, which could name two faults at once', () => {
    const p = playbook({
      steps: [{ name: 'kill', inject: { kind: 'service', service: 'db' } }, kill('step-1'), kill('step-7'), kill('step-one')],
    });
    expect(checkReferences(p)).toEqual(
      ['steps[1]', 'steps[2]'].map((at, i) => ({
        path: ['steps', i + 1, 'inject', 'id'],
        message: `${at}.inject.id: fault id "step-${i === 0 ? 1 : 7}" is reserved: a fault without an id is called "step-<n>" after its step`,
        hint: 'choose another id',
      })),
    );
  });

  it('says how to name a fault when no earlier step has an id', () => {
    const p = playbook({ steps: [{ name: 'kill', inject: { kind: 'service', service: 'db' } }, revert('db')] });
    expect(checkReferences(p)[0]?.hint).toBe('give an earlier inject step an "id" and use it here');
  });

  it('lists the ids injected before when none is close', () => {
    const p = playbook({ steps: [kill('alpha'), kill('beta'), revert('zzz')] });
    expect(checkReferences(p)[0]?.hint).toBe('faults injected before this step: "alpha" and "beta"');
  });
});

describe('services and regions', () => {
  const compose: ComposeFile = {
    path: '/c/compose.yml',
    services: [
      { name: 'web', labels: { 'firedrill.region': 'eu' } },
      { name: 'db', labels: { zone: 'north' } },
    ],
  };

  it('checks nothing about services without a compose file', () => {
    const p = playbook({ steps: [kill('a', 'no-such-service')] });
    expect(checkReferences(p)).toEqual([]);
  });

  it('takes regions from the label the playbook names, and its own mapping on top', () => {
    const p = playbook({
      topology: { project: 'shop', regionLabel: 'zone', regions: { south: ['web'] } },
      steps: [
        { name: 'lose north', inject: { kind: 'region-loss', region: 'north' } },
        { name: 'lose eu', inject: { kind: 'region-loss', region: 'eu' } },
      ],
    });
    const known = knownTopology(compose, p);
    expect(known.regions).toEqual({ north: ['db'], south: ['web'] });
    expect(checkReferences(p, known).map((issue) => issue.path)).toEqual([['steps', 1, 'inject', 'region']]);
  });

  it('lets the playbook mapping override what the label says for a region', () => {
    const p = playbook({ topology: { project: 'shop', regions: { eu: ['db'] } } });
    expect(knownTopology(compose, p).regions).toEqual({ eu: ['db'] });
  });

  it('checks services named by probes, faults, waits and actions', () => {
    const p = playbook({
      steadyState: { probes: [{ kind: 'health', service: 'wbe' }] },
      steps: [
        kill('a', 'dbb'),
        { name: 'w', wait: { probe: { kind: 'exec', service: 'x1', command: 'true' } } },
        { name: 'r', run: { kind: 'start', service: 'x2' } },
        { name: 'c', inject: { kind: 'cache-purge', service: 'x3', cache: 'redis' } },
      ],
    });
    const issues = checkReferences(p, knownTopology(compose, p));
    expect(issues.map((issue) => [issue.message, issue.hint])).toEqual([
      ['steadyState.probes[0].service: service "wbe" is not defined in the compose file', 'did you mean "web"?'],
      ['steps[0].inject.service: service "dbb" is not defined in the compose file', 'did you mean "db"?'],
      ['steps[1].wait.probe.service: service "x1" is not defined in the compose file', 'its services are "web" and "db"'],
      ['steps[2].run.service: service "x2" is not defined in the compose file', 'its services are "web" and "db"'],
      ['steps[3].inject.service: service "x3" is not defined in the compose file', 'its services are "web" and "db"'],
    ]);
  });
});
