import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/yaml/positions.js';
import { playbookSchema } from '../../../src/playbook/schema.js';
import { describeSchemaIssues } from '../../../src/playbook/schema-issues.js';

const BASE = { name: 'p', title: 't', summary: 's', topology: { project: 'shop' } };

/** `path | message | hint` for each issue the schema finds in `input`. */
function issuesFor(input: Record<string, unknown>): string[] {
  const data = { ...BASE, ...input };
  const result = playbookSchema.safeParse(data);
  if (result.success) return [];
  return describeSchemaIssues(result.error.issues, playbookSchema, data).map(
    (issue) => `${formatPath(issue.path)}${issue.at === 'key' ? ' (key)' : ''} | ${issue.message}${issue.hint ? ` | ${issue.hint}` : ''}`,
  );
}

const step = (extra: Record<string, unknown>) => ({ steps: [{ name: 's', ...extra }] });

describe('describeSchemaIssues', () => {
  it('explains a value that fits no member of a plain union', () => {
    expect(issuesFor(step({ run: { kind: 'host', command: 5 } }))).toEqual([
      'steps[0].run.command | steps[0].run.command: expected a string or a list, got 5',
    ]);
  });

  it('reports the issues of the union member whose type fitted', () => {
    expect(issuesFor(step({ run: { kind: 'host', command: [] } }))).toEqual([
      'steps[0].run.command | steps[0].run.command: needs at least one item',
    ]);
  });

  it('names a bad record key at the key', () => {
    expect(issuesFor({ topology: { project: 'shop', regions: { 'eu west': ['web'] } }, ...step({ pause: '1s' }) })).toEqual([
      'topology.regions["eu west"] (key) | topology.regions: key "eu west": use letters, digits, "-", "_" or "." (at most 63 characters)',
    ]);
  });

  it('says a kind must be one of the kinds when it is not even a string', () => {
    expect(issuesFor(step({ inject: { kind: 3 } }))).toEqual([
      'steps[0].inject.kind | steps[0].inject.kind: expected a fault kind, got 3; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill"',
    ]);
  });

  it('puts a missing kind at the mapping that lacks it', () => {
    expect(issuesFor(step({ inject: {} }))).toEqual([
      'steps[0].inject (key) | steps[0].inject: missing required field "kind"; the fault kinds are "region-loss", "service", "cache-purge", "network-partition", "packet-loss", "latency", "resource-limits", "process-kill" and "disk-fill"',
    ]);
  });

  it('only speaks of durations where a duration belongs', () => {
    expect(issuesFor({ title: 5, ...step({ pause: '1s' }) })).toEqual(['title | title: expected a string, got 5']);
    expect(issuesFor(step({ manual: { prompt: 'ok?', timeout: 30 } }))).toEqual([
      'steps[0].manual.timeout | steps[0].manual.timeout: expected a duration such as "250ms", "30s", "2m" or "1m30s", got 30 | a duration needs a unit: ms, s, m or h',
    ]);
  });

  it('lists allowed keys inside a union member chosen by its kind', () => {
    expect(issuesFor(step({ inject: { kind: 'region-loss', region: 'eu', service: 'web' } }))).toEqual([
      'steps[0].inject.service (key) | steps[0].inject: unknown key "service" | keys allowed here: kind, id, maxDuration, region, mode, signal',
    ]);
  });

  it('describes a mapping given where text belongs, and bounds on numbers', () => {
    expect(issuesFor({ summary: { a: 1 }, ...step({ wait: { probe: { kind: 'tcp', port: 0 }, consecutive: 1001 } }) })).toEqual([
      'summary | summary: expected a string, got a mapping',
      'steps[0].wait.probe.port | steps[0].wait.probe.port: must be at least 1, got 0',
      'steps[0].wait.consecutive | steps[0].wait.consecutive: must be at most 1000, got 1001',
    ]);
  });
});
